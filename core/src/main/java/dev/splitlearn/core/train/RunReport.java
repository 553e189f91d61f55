package dev.splitlearn.core.train;

import java.util.List;
import java.util.Map;

/**
 * What a run measured.
 *
 * @param phase {@code split}, {@code central} or {@code local}
 * @param evaluation final test evaluation (for local: of client 0)
 * @param epochs per-epoch figures
 * @param trainSeconds training wall time, all epochs (evaluation excluded)
 * @param evalSeconds evaluation wall time
 * @param syncSeconds time spent passing or averaging client-side weights
 * @param serverSeconds time the server spent handling requests
 * @param clients per-client figures
 */
public record RunReport(
    String phase,
    Evaluation evaluation,
    List<EpochStats> epochs,
    double trainSeconds,
    double evalSeconds,
    double syncSeconds,
    double serverSeconds,
    List<Map<String, Object>> clients) {

  /** Mean seconds per epoch of training. */
  public double secondsPerEpoch() {
    return epochs.isEmpty() ? 0 : trainSeconds / epochs.size();
  }
}
