package dev.splitlearn.core.kernels;

import dev.splitlearn.models.ConvLayer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the convolutions a run uses compute right answers on this machine before it trains.
 * Every model part calls {@link #verify} with its convolutions; the first call also checks a few
 * shapes known to have gone wrong elsewhere. A shape is checked once per JVM and oneDNN state,
 * single-threaded (where a defect shows every time) and at the configured thread count.
 *
 * <p>In {@link OneDnnMode#AUTO} a failing check of a layer the run uses switches oneDNN off for the
 * process, checks again and prints one warning line with what was found and the measured cost;
 * oneDNN stays on when the run's own layers pass. If no correct kernel remains, {@link #verify}
 * throws rather than let a run train on wrong numbers. Thread-safe.
 */
public final class KernelGuard {
  private static final Logger LOG = LoggerFactory.getLogger(KernelGuard.class);
  private static final int TIMING_BATCH = 32;
  private static KernelGuard global;

  private final ConvolutionKernel kernel;
  private final KernelSelfTest selfTest;
  private final OneDnnSwitch oneDnn;
  private final Consumer<String> warn;
  private OneDnnMode mode;
  private boolean applied;
  private final List<ConvLayer> modelLayers = new ArrayList<>();
  private final Map<String, KernelCheck> passed = new LinkedHashMap<>();
  // shapes found wrong and kept on by --onednn on: said once, not checked again each verify
  private final Set<String> keptWrong = new HashSet<>();
  private final List<KernelCheck> checks = new ArrayList<>();
  private boolean knownBadChecked;
  private boolean fallback;
  private String finding = "";
  private double millis;
  private double knownBadMillis;
  private double waitedMillis;
  private RuntimeException backgroundFailure;

  /**
   * A guard of {@code kernel} (the engine's, or a stub in tests) that can turn {@code oneDnn} off.
   *
   * @param warn receives the one-line warning when the fallback engages (and when mode {@code on}
   *     keeps a kernel that fails)
   */
  public KernelGuard(
      ConvolutionKernel kernel, OneDnnSwitch oneDnn, OneDnnMode mode, Consumer<String> warn) {
    this.kernel = kernel;
    this.selfTest = new KernelSelfTest(kernel);
    this.oneDnn = oneDnn;
    this.mode = mode;
    this.warn = warn;
  }

  /** The process-wide guard of the engine, in the mode of {@link OneDnnMode#fromEnvironment()}. */
  public static synchronized KernelGuard global() {
    if (global == null) {
      global =
          new KernelGuard(
              new EngineConvolution(), OneDnn.libtorch(), OneDnnMode.fromEnvironment(), LOG::warn);
    }
    return global;
  }

  /**
   * Checks the known-bad shapes and {@code layers} (those a run is about to use) on a background
   * thread, so that their cost overlaps with what the caller does next (loading data); {@link
   * #verify} waits for it, and a failure surfaces there.
   */
  public void startInBackground(List<ConvLayer> layers) {
    Thread t =
        new Thread(
            () -> {
              try {
                check(layers);
              } catch (RuntimeException e) {
                synchronized (this) {
                  backgroundFailure = e;
                }
              }
            },
            "kernel-self-test");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Sets the mode (the CLI's {@code --onednn}); takes effect at once and re-checks under the new
   * state.
   */
  public synchronized void setMode(OneDnnMode mode) {
    if (mode != this.mode) {
      this.mode = mode;
      applied = false;
      fallback = false;
      finding = "";
      passed.clear();
      keptWrong.clear();
      apply();
      verifyKnown();
    }
  }

  /** The mode in force. */
  public synchronized OneDnnMode mode() {
    return mode;
  }

  /**
   * Checks {@code layers} (those not yet checked in the current oneDNN state) and, in auto mode,
   * switches oneDNN off if one of them computes wrong results.
   *
   * @throws IllegalStateException if a layer stays wrong with every kernel this process can use, or
   *     the fallback is needed but the oneDNN switch cannot be reached
   */
  public void verify(List<ConvLayer> layers) {
    long t0 = System.nanoTime();
    try {
      check(layers);
    } finally {
      synchronized (this) {
        waitedMillis += (System.nanoTime() - t0) / 1e6;
      }
    }
  }

  private synchronized void check(List<ConvLayer> layers) {
    long t0 = System.nanoTime();
    try {
      if (backgroundFailure != null) {
        RuntimeException e = backgroundFailure;
        backgroundFailure = null;
        throw e;
      }
      apply();
      List<ConvLayer> fresh = new ArrayList<>();
      for (ConvLayer l : KernelSelfTest.distinctShapes(layers)) {
        if (modelLayers.stream().noneMatch(m -> m.shapeKey().equals(l.shapeKey()))) {
          modelLayers.add(l);
        }
        if (!passed.containsKey(l.shapeKey()) && !keptWrong.contains(l.shapeKey())) {
          fresh.add(l);
        }
      }
      checkKnownBadOnce();
      List<KernelCheck> failures = checkLayers(fresh);
      if (!failures.isEmpty()) {
        handleFailures(failures);
      }
    } finally {
      millis += (System.nanoTime() - t0) / 1e6;
    }
  }

  private void verifyKnown() {
    List<KernelCheck> failures = checkLayers(modelLayers);
    if (!failures.isEmpty()) {
      handleFailures(failures);
    }
  }

  private void apply() {
    if (applied) {
      return;
    }
    applied = true;
    if (!oneDnn.available()) {
      if (mode == OneDnnMode.ON) {
        throw new IllegalStateException("--onednn on: " + oneDnn.unavailableReason());
      }
      return; // without oneDNN there is nothing to switch off
    }
    oneDnn.setEnabled(mode != OneDnnMode.OFF); // auto starts with oneDNN on, until a check fails
  }

  private void checkKnownBadOnce() {
    if (knownBadChecked) {
      return;
    }
    knownBadChecked = true;
    long t0 = System.nanoTime();
    checkKnownBad();
    knownBadMillis += (System.nanoTime() - t0) / 1e6;
  }

  private void checkKnownBad() {
    if (!oneDnn.enabled()) {
      return; // the known-bad shapes are about oneDNN; the run's own layers are checked regardless
    }
    List<String> bad = new ArrayList<>();
    for (ConvLayer l : KernelSelfTest.knownBadShapes()) {
      KernelCheck c = selfTest.check(l, "known-bad", true, 1).get(0);
      checks.add(c);
      if (!c.passed()) {
        bad.add(l.shapeKey() + " (" + c.verdict() + ")");
      }
    }
    if (!bad.isEmpty()) {
      finding =
          "oneDNN computes wrong results on this CPU for "
              + bad.size()
              + " of "
              + KernelSelfTest.knownBadShapes().size()
              + " known-bad convolution shapes, e.g. "
              + bad.get(0);
      LOG.info("{}; oneDNN stays on while the run's own convolutions pass", finding);
    }
  }

  /** Checks each layer single-threaded and at the configured thread count; returns the failures. */
  private List<KernelCheck> checkLayers(List<ConvLayer> layers) {
    List<KernelCheck> failures = new ArrayList<>();
    int threads = EngineThreads.get();
    int[] counts = threads == 1 ? new int[] {1} : new int[] {1, threads};
    for (ConvLayer l : layers) {
      List<KernelCheck> results = selfTest.check(l, "model", oneDnn.enabled(), counts);
      checks.addAll(results);
      results.stream()
          .filter(c -> !c.passed())
          .findFirst()
          .ifPresentOrElse(
              failures::add, () -> passed.put(l.shapeKey(), results.get(results.size() - 1)));
    }
    return failures;
  }

  private void handleFailures(List<KernelCheck> failures) {
    KernelCheck first = failures.get(0);
    String found =
        "convolution "
            + first.layer()
            + " computes wrong results on this CPU with oneDNN "
            + (first.oneDnn() ? "on" : "off")
            + " ("
            + first.verdict()
            + ", "
            + first.threads()
            + " thread(s)"
            + (failures.size() > 1 ? "; " + (failures.size() - 1) + " more layer(s)" : "")
            + ")";
    if (mode == OneDnnMode.ON && first.oneDnn()) {
      failures.forEach(f -> keptWrong.add(f.layer().shapeKey()));
      finding = found;
      warn.accept(found + "; oneDNN kept on by --onednn on: THIS RUN'S RESULTS ARE WRONG");
      return;
    }
    if (mode != OneDnnMode.AUTO || !first.oneDnn()) {
      throw new IllegalStateException(found + "; no correct kernel is left to fall back to");
    }
    if (!oneDnn.available()) {
      throw new IllegalStateException(
          found
              + "; oneDNN cannot be switched off ("
              + oneDnn.unavailableReason()
              + "), so training would compute wrong numbers");
    }
    double onMillis = time(modelLayers);
    oneDnn.setEnabled(false);
    fallback = true;
    passed.clear();
    List<KernelCheck> still = checkLayers(modelLayers);
    if (!still.isEmpty()) {
      throw new IllegalStateException(
          found
              + "; with oneDNN off "
              + still.get(0).layer()
              + " is still wrong ("
              + still.get(0).verdict()
              + "): no correct kernel is left");
    }
    double offMillis = time(modelLayers);
    finding = found;
    warn.accept(
        found
            + "; switched oneDNN off for this process: the self-test now passes; cost: this model's "
            + "convolutions take "
            + String.format(
                "%.1f ms instead of %.1f ms (%.2fx)",
                offMillis, onMillis, offMillis / Math.max(onMillis, 1e-9))
            + " per forward+backward of a batch of "
            + TIMING_BATCH
            + " (override: --onednn on|off, or -D"
            + OneDnnMode.PROPERTY
            + ")");
  }

  /**
   * Median-of-3 time of one forward and backward of every layer at a training-size batch, in ms.
   */
  private double time(List<ConvLayer> layers) {
    double total = 0;
    for (ConvLayer l : layers) {
      ConvData d = ConvData.random(l, TIMING_BATCH, 1);
      double[] t = new double[3];
      for (int i = 0; i < t.length; i++) {
        long t0 = System.nanoTime();
        kernel.run(l, TIMING_BATCH, d.x(), d.w(), d.b(), d.dy());
        t[i] = (System.nanoTime() - t0) / 1e6;
      }
      java.util.Arrays.sort(t);
      total += t[1];
    }
    return total;
  }

  /** What the guard found and did so far. */
  public synchronized KernelStatus status() {
    long failed = checks.stream().filter(c -> !c.passed()).count();
    return new KernelStatus(
        mode,
        oneDnn.available(),
        oneDnn.enabled(),
        oneDnn.version(),
        fallback,
        finding,
        List.copyOf(checks),
        (int) failed,
        millis,
        knownBadMillis,
        waitedMillis);
  }
}
