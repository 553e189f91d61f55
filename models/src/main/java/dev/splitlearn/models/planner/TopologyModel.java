package dev.splitlearn.models.planner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * PrivyNet's performance and privacy models, fitted from a few measured topologies instead of
 * measuring them all: for each number of client blocks k separately, accuracy and inversion SSIM
 * are polynomials in the logarithm of the channels kept, by default straight lines,
 *
 * <pre>  accuracy(k, c) = a_k + b_k ln c,    SSIM(k, c) = s_k + t_k ln c,</pre>
 *
 * or with degree 2 parabolas ({@code + q_k (ln c)^2}), which can bend where the measured curves do
 * (leakage saturating, accuracy peaking below all channels), fitted by least squares. The logarithm
 * because each doubling of c adds about the same (the measured MNIST grid gains 1-2 pp of accuracy
 * per doubling at either k). A k is modelled only when at least degree + 1 distinct c were measured
 * for it. Predictions are clipped to the quantities' ranges (accuracy 0..1, SSIM -1..1); outside
 * the measured c they are extrapolations. Immutable.
 */
public final class TopologyModel {
  /**
   * The two curves of one k.
   *
   * @param layers k
   * @param accuracy accuracy against ln c
   * @param ssim SSIM against ln c
   * @param fittedOn the measurements the curves were fitted on
   */
  public record Fit(int layers, Polynomial accuracy, Polynomial ssim, List<Measurement> fittedOn) {
    public Fit {
      fittedOn = List.copyOf(fittedOn);
    }
  }

  /**
   * Prediction errors on measurements the model was not fitted on (predicted minus measured).
   *
   * @param points how many were scored
   * @param accuracyRmse root mean square error of accuracy (fraction, not pp)
   * @param accuracyMaxAbs largest absolute error of accuracy
   * @param ssimRmse root mean square error of SSIM
   * @param ssimMaxAbs largest absolute error of SSIM
   */
  public record Errors(
      int points, double accuracyRmse, double accuracyMaxAbs, double ssimRmse, double ssimMaxAbs) {}

  private final Map<Integer, Fit> fits;

  private TopologyModel(Map<Integer, Fit> fits) {
    this.fits = Collections.unmodifiableMap(new TreeMap<>(fits));
  }

  /** Fits straight lines in ln c: {@link #fit(List, int)} of degree 1. */
  public static TopologyModel fit(List<Measurement> measured) {
    return fit(measured, 1);
  }

  /**
   * Fits the curves of every k that has at least degree + 1 distinct measured c; other k stay
   * unmodelled.
   *
   * @param degree 1 (lines in ln c) or 2 (parabolas)
   * @throws IllegalArgumentException if a measurement is not finite, the degree is not 1 or 2, or
   *     no k can be modelled
   */
  public static TopologyModel fit(List<Measurement> measured, int degree) {
    if (degree < 1 || degree > 2) {
      throw new IllegalArgumentException(
          "--fit-degree must be 1 (a line) or 2 (a parabola), got " + degree);
    }
    Map<Integer, List<Measurement>> byK = new TreeMap<>();
    for (Measurement m : measured) {
      if (!Double.isFinite(m.accuracy()) || !Double.isFinite(m.ssim())) {
        throw new IllegalArgumentException(
            "cannot fit on " + m.label() + ": accuracy " + m.accuracy() + ", SSIM " + m.ssim());
      }
      byK.computeIfAbsent(m.layers(), k -> new ArrayList<>()).add(m);
    }
    Map<Integer, Fit> fits = new TreeMap<>();
    byK.forEach(
        (k, ms) -> {
          if (ms.stream().map(Measurement::channels).distinct().count() >= degree + 1) {
            double[] x = ms.stream().mapToDouble(m -> Math.log(m.channels())).toArray();
            fits.put(
                k,
                new Fit(
                    k,
                    Polynomial.fit(
                        x, ms.stream().mapToDouble(Measurement::accuracy).toArray(), degree),
                    Polynomial.fit(x, ms.stream().mapToDouble(Measurement::ssim).toArray(), degree),
                    ms));
          }
        });
    if (fits.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot fit the topology model: no k has "
              + (degree + 1)
              + " distinct "
              + "measured c among "
              + measured.size()
              + " measurements");
    }
    return new TopologyModel(fits);
  }

  /**
   * The measurements to fit on when only {@code perLayer} of each k's are to be used: that many c
   * spread evenly over the measured ones in log order (the smallest and the largest first), so the
   * rest can score the model. All of a k's measurements when it has no more than {@code perLayer}.
   *
   * @throws IllegalArgumentException naming {@code --fit-points} if {@code perLayer < 2}
   */
  public static List<Measurement> fitSubset(List<Measurement> measured, int perLayer) {
    if (perLayer < 2) {
      throw new IllegalArgumentException(
          "--fit-points must be >= 2 (two points fix a line), got " + perLayer);
    }
    Map<Integer, TreeMap<Integer, Measurement>> byK = new TreeMap<>();
    for (Measurement m : measured) {
      byK.computeIfAbsent(m.layers(), k -> new TreeMap<>()).put(m.channels(), m);
    }
    List<Measurement> out = new ArrayList<>();
    for (TreeMap<Integer, Measurement> cs : byK.values()) {
      List<Measurement> sorted = new ArrayList<>(cs.values());
      if (sorted.size() <= perLayer) {
        out.addAll(sorted);
        continue;
      }
      TreeSet<Integer> picked = new TreeSet<>();
      for (int i = 0; i < perLayer; i++) {
        picked.add((int) Math.round(i * (sorted.size() - 1) / (double) (perLayer - 1)));
      }
      picked.forEach(i -> out.add(sorted.get(i)));
    }
    return out;
  }

  /** The modelled k, ascending. */
  public List<Integer> layers() {
    return List.copyOf(fits.keySet());
  }

  /** Whether k is modelled. */
  public boolean covers(int layers) {
    return fits.containsKey(layers);
  }

  /** The lines of k, or null when k is not modelled. */
  public Fit fitOf(int layers) {
    return fits.get(layers);
  }

  /**
   * Predicted accuracy of (k, c), clipped to 0..1.
   *
   * @throws IllegalArgumentException if k is not modelled or c &lt; 1
   */
  public double accuracy(int layers, int channels) {
    return clip(require(layers, channels).accuracy().at(Math.log(channels)), 0, 1);
  }

  /**
   * Predicted inversion SSIM of (k, c), clipped to -1..1.
   *
   * @throws IllegalArgumentException if k is not modelled or c &lt; 1
   */
  public double ssim(int layers, int channels) {
    return clip(require(layers, channels).ssim().at(Math.log(channels)), -1, 1);
  }

  /**
   * Errors of the predictions on {@code heldOut} (those of unmodelled k are skipped); NaN when none
   * is scored.
   */
  public Errors errors(List<Measurement> heldOut) {
    int n = 0;
    double sa = 0;
    double ma = 0;
    double ss = 0;
    double ms = 0;
    for (Measurement m : heldOut) {
      if (!covers(m.layers())) {
        continue;
      }
      double da = accuracy(m.layers(), m.channels()) - m.accuracy();
      double ds = ssim(m.layers(), m.channels()) - m.ssim();
      n++;
      sa += da * da;
      ss += ds * ds;
      ma = Math.max(ma, Math.abs(da));
      ms = Math.max(ms, Math.abs(ds));
    }
    return n == 0
        ? new Errors(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN)
        : new Errors(n, Math.sqrt(sa / n), ma, Math.sqrt(ss / n), ms);
  }

  private Fit require(int layers, int channels) {
    Fit f = fits.get(layers);
    if (f == null) {
      throw new IllegalArgumentException(
          "k=" + layers + " is not modelled (too few measured c); modelled: " + fits.keySet());
    }
    if (channels < 1) {
      throw new IllegalArgumentException("c must be >= 1, got " + channels);
    }
    return f;
  }

  private static double clip(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
