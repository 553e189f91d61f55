package dev.splitlearn.models.planner;

import dev.splitlearn.models.planner.Limits.Kind;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * PrivyNet's choice of the local topology: predict accuracy and leakage of every candidate with the
 * fitted {@link TopologyModel}, keep those within the {@link Limits} (leakage predicted, costs
 * exact), and take the one with the highest predicted accuracy; ties go to lower predicted SSIM,
 * then fewer client FLOPs, then fewer bytes on the wire, then smaller k and c.
 */
public final class TopologyPlanner {
  private TopologyPlanner() {}

  /**
   * A candidate with its predictions and the limits it breaks.
   *
   * @param candidate the topology and its exact costs
   * @param accuracy predicted accuracy
   * @param ssim predicted inversion SSIM
   * @param broken the limits it breaks (empty: feasible)
   */
  public record Evaluated(Candidate candidate, double accuracy, double ssim, List<Kind> broken) {
    public Evaluated {
      broken = List.copyOf(broken);
    }

    /** Whether it meets every limit. */
    public boolean feasible() {
      return broken.isEmpty();
    }
  }

  /**
   * The planner's answer.
   *
   * @param chosen the feasible candidate of highest predicted accuracy
   * @param all every candidate, in the order given, evaluated
   */
  public record Choice(Evaluated chosen, List<Evaluated> all) {
    public Choice {
      all = List.copyOf(all);
    }
  }

  /** Orders the feasible: best first. */
  static final Comparator<Evaluated> BEST_FIRST =
      Comparator.comparingDouble((Evaluated e) -> -e.accuracy())
          .thenComparingDouble(Evaluated::ssim)
          .thenComparingLong(e -> e.candidate().clientForwardFlops())
          .thenComparingDouble(e -> e.candidate().wireBytesPerSample())
          .thenComparingInt(e -> e.candidate().layers())
          .thenComparingInt(e -> e.candidate().channels());

  /**
   * Evaluates every candidate and chooses.
   *
   * @param candidates the topologies, each of a k the model covers
   * @throws IllegalArgumentException if there are no candidates, a candidate's k is not modelled,
   *     or none meets the limits: the one-line message names the binding limit (the one that alone
   *     rules out candidates meeting all the others) with the best value of its quantity among
   *     those
   */
  public static Choice choose(List<Candidate> candidates, TopologyModel model, Limits limits) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no candidate topologies to plan over");
    }
    List<Evaluated> all = new ArrayList<>();
    for (Candidate c : candidates) {
      double ssim = model.ssim(c.layers(), c.channels());
      all.add(
          new Evaluated(c, model.accuracy(c.layers(), c.channels()), ssim, limits.broken(c, ssim)));
    }
    Evaluated best = all.stream().filter(Evaluated::feasible).min(BEST_FIRST).orElse(null);
    if (best == null) {
      throw new IllegalArgumentException(infeasible(all, limits));
    }
    return new Choice(best, all);
  }

  /** Why nothing is feasible, in one line. */
  static String infeasible(List<Evaluated> all, Limits limits) {
    StringBuilder why = new StringBuilder("no topology meets the limits: ");
    boolean named = false;
    for (Kind k : Kind.values()) {
      Evaluated closest =
          all.stream()
              .filter(e -> e.broken().equals(List.of(k)))
              .min(Comparator.comparingDouble(e -> k.of(e.candidate(), e.ssim())))
              .orElse(null);
      if (closest != null) {
        why.append(named ? "; " : "")
            .append(limits.describe(k))
            .append(" is binding (the lowest ")
            .append(k.quantity())
            .append(" of the topologies within the other limits is ")
            .append(number(k.of(closest.candidate(), closest.ssim())))
            .append(", ")
            .append(closest.candidate().label())
            .append(')');
        named = true;
      }
    }
    if (!named) {
      Evaluated fewest =
          all.stream()
              .min(Comparator.comparingInt((Evaluated e) -> e.broken().size()))
              .orElseThrow();
      why.append("each of the ")
          .append(all.size())
          .append(" topologies breaks two or more of them (")
          .append(fewest.candidate().label())
          .append(" breaks ")
          .append(String.join(" and ", fewest.broken().stream().map(limits::describe).toList()))
          .append(')');
    }
    return why.toString();
  }

  /** Four significant digits, no trailing zeros. */
  static String number(double v) {
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
