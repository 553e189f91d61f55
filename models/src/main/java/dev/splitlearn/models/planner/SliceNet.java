package dev.splitlearn.models.planner;

import dev.splitlearn.models.planner.DeviceChain.Device;
import dev.splitlearn.models.planner.DeviceChain.Link;
import java.util.ArrayList;
import java.util.List;

/**
 * SliceNet: slices a model's stages over a chain of devices so that the time per training sample is
 * least, each device within its budgets. Device i runs a contiguous run of stages, in chain order;
 * the first device (the data holder) runs at least one, so raw inputs never leave it; a later
 * device may run none and only relay.
 *
 * <p>The cost model, per training sample, with batch B:
 *
 * <ul>
 *   <li>compute on a device: 3 x its stages' forward FLOPs / its FLOP/s (the forward pass and a
 *       backward pass of about twice the forward's work);
 *   <li>a link: the tensor at its cut goes forward and its gradient comes back, 2 x bytes x 8 /
 *       bandwidth, plus 2 x latency shared by the batch, 2 x latency / B;
 *   <li>total: the sum over devices and links (a step is sequential: no pipelining of batches).
 * </ul>
 *
 * A device's budgets: memory 16 bytes per parameter (float32 weights, gradients and Adam's two
 * moments) plus B x the float32 outputs of its stages (kept for the backward pass); and, if given,
 * the most training FLOPs per sample (3 x forward).
 *
 * <p>{@link #solve} is exact: dynamic programming over (device, stages done), O(devices x
 * stages^2).
 */
public final class SliceNet {
  private SliceNet() {}

  /**
   * One device's share.
   *
   * @param device the device
   * @param from first stage it runs (inclusive)
   * @param to last stage it runs (exclusive); {@code from == to}: a relay
   * @param computeSeconds its compute time per sample
   * @param memoryBytes the memory its stages need
   * @param trainFlops its training FLOPs per sample
   */
  public record Share(
      Device device,
      int from,
      int to,
      double computeSeconds,
      double memoryBytes,
      double trainFlops) {}

  /**
   * One link's traffic.
   *
   * @param bytesEachWay per sample: the tensor at the cut, and its gradient back
   * @param seconds its time per sample
   */
  public record Transfer(long bytesEachWay, double seconds) {}

  /**
   * A slicing.
   *
   * @param ends for each device, the end (exclusive) of its stages; the last is the number of
   *     stages
   * @param secondsPerSample total time per sample
   * @param shares each device's share
   * @param transfers each link's traffic
   */
  public record Slicing(
      int[] ends, double secondsPerSample, List<Share> shares, List<Transfer> transfers) {
    public Slicing {
      ends = ends.clone();
      shares = List.copyOf(shares);
      transfers = List.copyOf(transfers);
    }

    @Override
    public int[] ends() {
      return ends.clone();
    }
  }

  /** The model and the batch the slicing is for. */
  private record Problem(List<StageCost> stages, long inputBytes, DeviceChain chain, int batch) {
    long bytesAt(int cut) {
      return cut == 0 ? inputBytes : stages.get(cut - 1).outputBytes();
    }

    /** The share of device i running [from, to), or null if it breaks a budget. */
    Share share(int i, int from, int to) {
      Device d = chain.devices().get(i);
      if (i == 0 && to == 0) {
        return null;
      }
      double flops = 0;
      double parameters = 0;
      double outputs = 0;
      for (int s = from; s < to; s++) {
        flops += stages.get(s).forwardFlops();
        parameters += stages.get(s).parameters();
        outputs += stages.get(s).outputBytes();
      }
      double memory = 16 * parameters + (double) batch * outputs;
      double train = 3 * flops;
      if (memory > d.memoryBytes() || train > d.maxTrainFlops()) {
        return null;
      }
      return new Share(d, from, to, train / d.flopsPerSecond(), memory, train);
    }

    Transfer transfer(int link, int cut) {
      Link l = chain.links().get(link);
      long bytes = bytesAt(cut);
      return new Transfer(
          bytes, 2.0 * bytes * 8 / l.bitsPerSecond() + 2 * l.latencySeconds() / batch);
    }
  }

  /**
   * The time per sample of a given slicing, or null if it breaks a budget or is not a slicing.
   *
   * @param ends for each device the end (exclusive) of its stages, non-decreasing, the last =
   *     stages
   */
  public static Slicing evaluate(
      List<StageCost> stages, long inputBytes, DeviceChain chain, int batch, int[] ends) {
    Problem p = problem(stages, inputBytes, chain, batch);
    int m = chain.devices().size();
    if (ends.length != m || ends[m - 1] != stages.size()) {
      return null;
    }
    List<Share> shares = new ArrayList<>();
    List<Transfer> transfers = new ArrayList<>();
    double total = 0;
    int from = 0;
    for (int i = 0; i < m; i++) {
      if (ends[i] < from) {
        return null;
      }
      Share s = p.share(i, from, ends[i]);
      if (s == null) {
        return null;
      }
      shares.add(s);
      total += s.computeSeconds();
      if (i < m - 1) {
        Transfer t = p.transfer(i, ends[i]);
        transfers.add(t);
        total += t.seconds();
      }
      from = ends[i];
    }
    return new Slicing(ends, total, shares, transfers);
  }

  /**
   * The slicing of least time per sample, by dynamic programming: {@code best[i][p]}, the least
   * time for devices 0..i to run stages [0, p) and send the result on, is {@code min over q <= p}
   * of {@code best[i-1][q] + link(i-1, q) + compute(i, q, p)}.
   *
   * @param stages the model's stages in order, at least one
   * @param inputBytes one input sample as float32
   * @param batch samples per step, shares each message's latency
   * @throws IllegalArgumentException if no slicing meets the devices' budgets (the message names
   *     the devices that cannot fit their part), or an argument is invalid
   */
  public static Slicing solve(
      List<StageCost> stages, long inputBytes, DeviceChain chain, int batch) {
    Problem p = problem(stages, inputBytes, chain, batch);
    int m = chain.devices().size();
    int n = stages.size();
    double[][] best = new double[m][n + 1];
    int[][] from = new int[m][n + 1];
    for (int e = 0; e <= n; e++) {
      Share s = p.share(0, 0, e);
      best[0][e] = s == null ? Double.POSITIVE_INFINITY : s.computeSeconds();
    }
    for (int i = 1; i < m; i++) {
      for (int e = 0; e <= n; e++) {
        best[i][e] = Double.POSITIVE_INFINITY;
        for (int q = 0; q <= e; q++) {
          if (best[i - 1][q] == Double.POSITIVE_INFINITY) {
            continue;
          }
          Share s = p.share(i, q, e);
          if (s == null) {
            continue;
          }
          double t = best[i - 1][q] + p.transfer(i - 1, q).seconds() + s.computeSeconds();
          if (t < best[i][e]) {
            best[i][e] = t;
            from[i][e] = q;
          }
        }
      }
    }
    if (best[m - 1][n] == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(why(p));
    }
    int[] ends = new int[m];
    ends[m - 1] = n;
    for (int i = m - 1; i > 0; i--) {
      ends[i - 1] = from[i][ends[i]];
    }
    return evaluate(stages, inputBytes, chain, batch, ends);
  }

  private static Problem problem(
      List<StageCost> stages, long inputBytes, DeviceChain chain, int batch) {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("no stages to slice");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
    }
    if (inputBytes < 0) {
      throw new IllegalArgumentException("input bytes must be >= 0, got " + inputBytes);
    }
    return new Problem(List.copyOf(stages), inputBytes, chain, batch);
  }

  /**
   * Why no slicing fits: the data holder cannot run a first stage, or the stages cannot all be
   * placed.
   */
  private static String why(Problem p) {
    if (p.share(0, 0, 1) == null) {
      Device d = p.chain().devices().get(0);
      return "no slicing fits the devices: the data holder "
          + d.name()
          + " cannot run the first stage "
          + p.stages().get(0).name()
          + " within its memory or FLOPs budget (raw inputs never leave it)";
    }
    List<String> tight = new ArrayList<>();
    for (int s = 0; s < p.stages().size(); s++) {
      boolean anyone = false;
      for (int i = 0; i < p.chain().devices().size() && !anyone; i++) {
        anyone = p.share(i, s, s + 1) != null;
      }
      if (!anyone) {
        tight.add(p.stages().get(s).name());
      }
    }
    return "no slicing fits the devices' memory and FLOPs budgets"
        + (tight.isEmpty()
            ? " (every stage fits some device alone, but not in chain order)"
            : ": no device can run stage(s) " + tight);
  }
}
