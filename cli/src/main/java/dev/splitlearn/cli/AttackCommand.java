package dev.splitlearn.cli;

import dev.splitlearn.attacks.BlackBoxInversion;
import dev.splitlearn.attacks.LabelAttack;
import dev.splitlearn.attacks.LabelInference;
import dev.splitlearn.attacks.ReconstructionScore;
import dev.splitlearn.attacks.StepSamples;
import dev.splitlearn.attacks.TapEvidence;
import dev.splitlearn.attacks.UnSplit;
import dev.splitlearn.models.Role;
import dev.splitlearn.privacy.Npy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn attack}: a curious server's attack on a trained run, scored, written to
 * OUT/attack.json. The run's own options must be given again (e.g. its {@code --config}): they
 * rebuild the data, the partitions and the batch order the scores need as ground truth.
 *
 * <ul>
 *   <li>{@code --kind inversion}: black-box inversion: {@code --leaked} of the first {@code
 *       --limit} samples' (input, activation) pairs train a decoder, the rest are reconstructed.
 *   <li>{@code --kind label}: label inference from the run's {@code --tap} alone (see {@link
 *       LabelAttack}); the true labels of each step come from the run's settings.
 *   <li>{@code --kind unsplit}: UnSplit white-box inversion of {@code --samples} activations: the
 *       last ones client {@code --client} sent in training, from {@code --tap}; without a tap,
 *       those the run's saved extractor gives for the first samples of {@code --split}.
 * </ul>
 */
@Command(
    name = "attack",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Attack a trained run as a curious server would; write OUT/attack.json (give the run's own "
            + "options again, e.g. its --config).")
final class AttackCommand implements Callable<Integer> {
  /** Reconstructions saved as .npy for reports. */
  private static final int SAVED = 16;

  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "DIR",
      description = "The run's output folder.")
  Path run;

  @Option(
      names = "--kind",
      description =
          "inversion (black-box decoder from leaked pairs), label (label inference "
              + "from --tap) or unsplit (white-box UnSplit inversion) (default: ${DEFAULT-VALUE}).",
      defaultValue = "inversion")
  String kind;

  @Option(
      names = "--tap",
      paramLabel = "FILE",
      description =
          "The run's tap file (train/server --tap): what the "
              + "server saw. Needed by --kind label; --kind unsplit inverts its activations when given.")
  Path tap;

  @Option(
      names = "--known",
      paramLabel = "K",
      description =
          "label: labels the attacker knows per class, drawn at "
              + "random from the tap's samples and not scored (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int known;

  @Option(
      names = "--samples",
      paramLabel = "N",
      description = "unsplit: activations to invert " + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int samples;

  @Option(
      names = "--attack-steps",
      paramLabel = "S",
      description =
          "unsplit: optimisation steps, alternating "
              + "inputs and the extractor's clone in blocks of "
              + UNSPLIT_BLOCK
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "2000")
  int attackSteps;

  @Option(
      names = "--tv",
      paramLabel = "W",
      description =
          "unsplit: weight of the total-variation prior on the "
              + "inputs (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.01")
  float tv;

  @Option(
      names = "--leaked",
      paramLabel = "K",
      description = "inversion: pairs the attacker knows " + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "500")
  int leaked;

  @Option(
      names = "--client",
      description = "Whose extractor or activations (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int client;

  @Option(
      names = "--split",
      description =
          "inversion, unsplit without a tap: train or test (default: " + "${DEFAULT-VALUE}).",
      defaultValue = "test")
  String split;

  @Option(
      names = "--attack-epochs",
      description = "inversion: epochs of the decoder's training (default: " + "${DEFAULT-VALUE}).",
      defaultValue = "30")
  int attackEpochs;

  /**
   * UnSplit's step sizes, picked on the conv1 cut of mnist-cnn (64 samples, 1,000 steps: SSIM 0.72
   * with these, 0.68 with 0.01 and 0.001).
   */
  private static final int UNSPLIT_BLOCK = 20;

  private static final float UNSPLIT_INPUT_LR = 0.02f;
  private static final float UNSPLIT_MODEL_LR = 0.003f;

  @Override
  public Integer call() throws Exception {
    switch (kind) {
      case "inversion" -> inversion();
      case "label" -> label();
      case "unsplit" -> unsplit();
      default ->
          throw new IllegalArgumentException(
              "--kind must be inversion, label or unsplit, got '" + kind + "'");
    }
    return ExitCode.OK;
  }

  private void inversion() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (attackEpochs < 1) {
      throw new IllegalArgumentException("--attack-epochs must be >= 1");
    }
    Runner.Setup s = new Runner(options, err).setup();
    int n =
        Math.min(
            options.limit > 0 ? options.limit : 2 * leaked,
            (split.equals("test") ? s.test() : s.train()).size());
    Pairs p = Pairs.of(s, run, client, split, n, options.seed);
    long[] xs = p.xShape();
    int side =
        xs.length == 4 && xs[1] == 1 && xs[2] == xs[3]
            ? (int) xs[2]
            : 0; // single-channel square images
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("run", run.toString());
    r.put("plan", s.plan().fingerprint());
    r.put("split", split);
    r.put("samples", p.n());
    BlackBoxInversion.Outcome outcome =
        BlackBoxInversion.attack(
            p.x(),
            p.xLength(),
            p.z(),
            p.zLength(),
            p.n(),
            leaked,
            attackEpochs,
            options.seed,
            side >= 11 ? side : 0,
            p.y());
    r.putAll(outcome.scores());
    r.putAll(
        saveSamples(
            java.util.Arrays.copyOfRange(p.xShape(), 1, p.xShape().length),
            p.x(),
            leaked,
            outcome.reconstructions(),
            p.n() - leaked));
    Versions.provenance(r);
    Runner.writeAtomically(options.out.resolve("attack.json"), r);
    err.printf(
        "splitlearn attack: inversion from %d leaked pairs, %s reconstructions scored: MSE %.4f (guessing the "
            + "mean: %.4f, the label's class mean: %.4f), PSNR %.2f dB%s -> %s%n",
        leaked,
        r.get("scored"),
        r.get("mse"),
        r.get("mse_of_guessing_the_mean"),
        r.get("mse_of_label_only"),
        r.get("psnr_db"),
        r.get("ssim") == null
            ? ""
            : String.format(
                ", SSIM %.3f (the label's class mean: %.3f)",
                r.get("ssim"), r.get("ssim_of_label_only")),
        options.out.resolve("attack.json"));
  }

  /**
   * Writes the first {@link #SAVED} of {@code count} samples (inputs from sample {@code first} on,
   * of shape {@code sampleShape} each) and their reconstructions to OUT as .npy files, for reports;
   * returns the attack.json entries that name them.
   */
  private Map<String, Object> saveSamples(
      long[] sampleShape, float[] inputs, int first, float[] reconstructions, int count)
      throws java.io.IOException {
    int k = Math.min(SAVED, count);
    int len = (int) java.util.Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
    long[] shape = prepend(k, sampleShape);
    Files.createDirectories(options.out);
    Npy.writeFloats(
        options.out.resolve("originals.npy"),
        shape,
        java.util.Arrays.copyOfRange(inputs, first * len, (first + k) * len));
    Npy.writeFloats(
        options.out.resolve("reconstructions.npy"),
        shape,
        java.util.Arrays.copyOf(reconstructions, k * len));
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("originals", "originals.npy");
    files.put("reconstructions", "reconstructions.npy");
    files.put("samples_shown", k);
    files.put("first_sample_shown", first);
    return files;
  }

  private void label() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (tap == null) {
      throw new IllegalArgumentException(
          "--kind label needs --tap FILE (the run's tap: train or server --tap)");
    }
    if (!Files.isRegularFile(tap)) {
      throw new IllegalArgumentException("--tap " + tap + ": no such file");
    }
    if (known < 1) {
      throw new IllegalArgumentException("--known must be >= 1, got " + known);
    }
    Runner.Setup s = new Runner(options, err).setup();
    StepSamples truth =
        new StepSamples(s.clientData(), options.batch, options.seed, s.config().augmentation());
    int classes = s.train().numClasses();
    double[] prior = new double[classes];
    for (int i = 0; i < s.train().size(); i++) {
      prior[s.train().label(i)] += 1.0 / s.train().size();
    }
    long t0 = System.nanoTime();
    LabelAttack.Report report =
        LabelAttack.run(TapEvidence.read(tap), truth, classes, known, options.seed, prior);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "label inference");
    r.put("run", run.toString());
    r.put("tap", tap.toString());
    r.put("plan", s.plan().fingerprint());
    r.put("known_per_class", known);
    r.put("classes", s.train().classNames());
    r.put("class_prior", prior);
    r.put("report", report);
    r.put("seconds", (System.nanoTime() - t0) / 1e9);
    Versions.provenance(r);
    Runner.writeAtomically(options.out.resolve("attack.json"), r);
    err.println(
        "splitlearn attack: label inference from "
            + tap
            + ": "
            + headline(report)
            + " -> "
            + options.out.resolve("attack.json"));
  }

  /** The one line: what gave the labels away most plainly. */
  private static String headline(LabelAttack.Report r) {
    StringBuilder b = new StringBuilder();
    if (r.labelsInClear() != null) {
      b.append(
          String.format(
              "labels cross in clear (vanilla): accuracy %.3f over %d samples; ",
              r.labelsInClear().accuracy(), r.labelsInClear().samples()));
    }
    for (LabelAttack.Gradients g : r.gradients()) {
      LabelInference.Score d = g.scores().get(0);
      b.append(
          String.format(
              "%s: direction accuracy %.3f (chance %.3f), macro AUC %.3f",
              g.evidence(),
              d.accuracy(),
              d.chance(),
              d.macroAuc() == null ? Double.NaN : d.macroAuc()));
      if (g.scores().size() > 2) {
        b.append(String.format(", argmin accuracy %.3f", g.scores().get(2).accuracy()));
      }
      b.append("; ");
    }
    if (r.biasCounts() != null) {
      LabelInference.CountScore c = r.biasCounts();
      b.append(
          String.format(
              "bias gradient (CKKS): label-histogram error %.3f (prior guess %.3f), exact %.3f",
              c.meanError(), c.priorMeanError(), c.exactFraction()));
      if (c.batchOneAccuracy() != null) {
        b.append(String.format(", batch-1 label accuracy %.3f", c.batchOneAccuracy()));
      }
      b.append("; ");
    }
    return b.length() == 0 ? "nothing label-bearing in the tap" : b.substring(0, b.length() - 2);
  }

  private void unsplit() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (samples < 1) {
      throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
    }
    if (tap != null && !Files.isRegularFile(tap)) {
      throw new IllegalArgumentException("--tap " + tap + ": no such file");
    }
    Runner.Setup s = new Runner(options, err).setup();
    long[] sampleShape = longs(s.train().sampleShape());
    float[] x;
    float[] z;
    long[] zShape;
    int n;
    String source;
    if (client < 0 || client >= s.clientData().size()) {
      throw new IllegalArgumentException(
          "--client must be in 0.." + (s.clientData().size() - 1) + ", got " + client);
    }
    if (tap != null) {
      TapEvidence.Activations a = TapEvidence.lastActivations(tap, client, samples);
      StepSamples truth =
          new StepSamples(s.clientData(), options.batch, options.seed, s.config().augmentation());
      n = a.n();
      int len = s.train().sampleLength();
      x = new float[n * len];
      for (int i = 0; i < n; i++) {
        StepSamples.Batch b = truth.of(client, a.steps()[i]);
        System.arraycopy(b.features(), a.rows()[i] * len, x, i * len, len);
      }
      z = a.z();
      zShape = prepend(n, a.rowShape());
      source = "tap: the last " + n + " activations client " + client + " sent in training";
    } else {
      int available = (split.equals("test") ? s.test() : s.train()).size();
      Pairs p = Pairs.of(s, run, client, split, Math.min(samples, available), options.seed);
      n = p.n();
      x = p.x();
      z = p.z();
      zShape = p.zShape();
      source =
          "checkpoint: client "
              + client
              + "'s saved extractor on the first "
              + n
              + " "
              + split
              + " samples";
    }
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (sampleShape.length == 3) { // images: [0, 1]
      lo = Math.min(lo, 0);
      hi = Math.max(hi, 1);
    }
    UnSplit.Settings settings =
        new UnSplit.Settings(
            attackSteps,
            UNSPLIT_BLOCK,
            tv,
            UNSPLIT_INPUT_LR,
            UNSPLIT_MODEL_LR,
            options.seed ^ 0x5EED_0F_A77ACCL,
            lo,
            hi);
    long t0 = System.nanoTime();
    UnSplit.Result result =
        UnSplit.run(
            s.plan().model(),
            s.plan().from(Role.EXTRACTOR),
            s.plan().to(Role.EXTRACTOR),
            prepend(n, sampleShape),
            z,
            zShape,
            settings);
    double seconds = (System.nanoTime() - t0) / 1e9;
    ReconstructionScore score = ReconstructionScore.of(x, result.inputs(), n, sampleShape, hi - lo);
    Path out = options.out;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "UnSplit white-box inversion (Erdogan et al. 2022)");
    r.put("run", run.toString());
    r.put("plan", s.plan().fingerprint());
    r.put("source", source);
    r.put("samples", n);
    r.put("attack_steps", attackSteps);
    r.put("block", UNSPLIT_BLOCK);
    r.put("tv", tv);
    r.put("data_range", new float[] {lo, hi});
    r.put("activation_fit_mse", result.fit());
    r.put("activation_variance", result.activationVariance());
    r.put("score", score);
    r.put("seconds", seconds);
    r.putAll(saveSamples(sampleShape, x, 0, result.inputs(), n));
    Versions.provenance(r);
    Runner.writeAtomically(out.resolve("attack.json"), r);
    err.printf(
        "splitlearn attack: UnSplit on %d activations (%s), %d steps, %.1f s: MSE %.4f (guessing the mean: "
            + "%.4f), PSNR %.2f dB (%.2f)%s%s -> %s%n",
        n,
        tap != null ? "from the tap" : "from the checkpoint",
        attackSteps,
        seconds,
        score.mse(),
        score.meanGuessMse(),
        score.psnrDb(),
        score.meanGuessPsnrDb(),
        score.ssim() == null
            ? ""
            : String.format(", SSIM %.3f (%.3f)", score.ssim(), score.meanGuessSsim()),
        score.pearson() == null
            ? ""
            : String.format(", Pearson %.3f (%.3f)", score.pearson(), score.meanGuessPearson()),
        out.resolve("attack.json"));
  }

  private static long[] longs(int[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  private static long[] prepend(long first, long[] rest) {
    long[] out = new long[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
