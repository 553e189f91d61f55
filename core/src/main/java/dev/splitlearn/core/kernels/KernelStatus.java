package dev.splitlearn.core.kernels;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kernel guard found and did in this process.
 *
 * @param mode the oneDNN mode in force
 * @param oneDnnAvailable whether the oneDNN switch can be reached
 * @param oneDnnOn whether oneDNN is on now
 * @param oneDnnVersion the engine's oneDNN version
 * @param fallback whether the guard switched oneDNN off because a check failed
 * @param finding what went wrong, in one line, or empty
 * @param checks every check made, in order
 * @param failedChecks how many of them failed
 * @param selfTestMillis time spent in the guard, all calls
 * @param knownBadMillis the part of it spent on the known-bad shapes
 * @param waitedMillis what the run waited for: time in {@code verify} calls (checks not done in the
 *     background, and waits for the background checks to finish)
 */
public record KernelStatus(
    OneDnnMode mode,
    boolean oneDnnAvailable,
    boolean oneDnnOn,
    String oneDnnVersion,
    boolean fallback,
    String finding,
    List<KernelCheck> checks,
    int failedChecks,
    double selfTestMillis,
    double knownBadMillis,
    double waitedMillis) {

  /** The summary recorded in {@code results.json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("onednn_mode", mode.cliName());
    m.put("onednn", oneDnnOn ? "on" : "off");
    m.put("onednn_version", oneDnnVersion);
    m.put("fallback", fallback);
    m.put("finding", finding);
    m.put("self_test_checks", checks.size());
    m.put("self_test_failed", failedChecks);
    m.put("self_test_ms", Math.round(selfTestMillis * 10) / 10.0);
    m.put("self_test_known_bad_ms", Math.round(knownBadMillis * 10) / 10.0);
    m.put("self_test_waited_ms", Math.round(waitedMillis * 10) / 10.0);
    return m;
  }
}
