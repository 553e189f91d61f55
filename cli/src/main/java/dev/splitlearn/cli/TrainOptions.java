package dev.splitlearn.cli;

import dev.splitlearn.core.defense.AdditiveNoise;
import dev.splitlearn.core.defense.ClientDefenses;
import dev.splitlearn.core.defense.Defenses;
import dev.splitlearn.core.defense.GradientDp;
import dev.splitlearn.core.encrypted.GradientExchange;
import dev.splitlearn.core.encrypted.GradientPrivacy;
import dev.splitlearn.core.kernels.KernelGuard;
import dev.splitlearn.core.kernels.OneDnnMode;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.privacy.RdpAccountant;
import dev.splitlearn.splithe.CkksEncryption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of a training run, shared by {@code train}, {@code demo} and {@code bench}. */
final class TrainOptions {
  @Option(
      names = "--config",
      description =
          "YAML or JSON file of option defaults (keys are option names); "
              + "flags given on the command line win.")
  Path config;

  @Option(
      names = "--dataset",
      description = "mnist, fashion-mnist, cifar10 or mitbih (default: ${DEFAULT-VALUE}).",
      defaultValue = "mnist")
  String dataset;

  @Option(
      names = "--model",
      description = "Model of the zoo, see 'splitlearn models' (default: ${DEFAULT-VALUE}).",
      defaultValue = "mnist-cnn")
  String model;

  @Option(
      names = "--protocol",
      description = "vanilla or u-shaped (default: ${DEFAULT-VALUE}).",
      defaultValue = "u-shaped")
  String protocol;

  @Option(
      names = "--cuts",
      split = ",",
      description = "Cut points (stage names), e.g. conv1,fc1; default: the model's.")
  List<String> cuts;

  @Option(
      names = "--clients",
      description = "Number of clients (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int clients;

  @Option(
      names = "--schedule",
      description = "sequential or parallel (default: ${DEFAULT-VALUE}).",
      defaultValue = "parallel")
  String schedule;

  @Option(
      names = "--partition",
      description = "iid or dirichlet (default: ${DEFAULT-VALUE}).",
      defaultValue = "iid")
  String partition;

  @Option(
      names = "--alpha",
      description = "Dirichlet concentration for non-IID partitions (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.5")
  double alpha;

  @Option(
      names = "--epochs",
      description = "Epochs (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int epochs;

  @Option(
      names = "--batch",
      description = "Batch size (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int batch;

  @Option(
      names = "--optimizer",
      description = "adam or sgd (default: ${DEFAULT-VALUE}).",
      defaultValue = "adam")
  String optimizer;

  @Option(
      names = "--lr",
      description = "Learning rate (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.001")
  float lr;

  @Option(
      names = "--momentum",
      description = "SGD momentum (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.9")
  float momentum;

  @Option(
      names = "--augment",
      description =
          "Training-image augmentation each client applies to its own data: "
              + "none, flip, crop-flip (pad 2) or crop-flip:PAD (default: ${DEFAULT-VALUE}).",
      defaultValue = "none")
  String augment;

  @Option(
      names = "--weight-decay",
      description = "L2 weight decay (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  float weightDecay;

  @Option(
      names = "--lr-schedule",
      description = "constant or cosine (default: ${DEFAULT-VALUE}).",
      defaultValue = "constant")
  String lrSchedule;

  @Option(
      names = "--sync-every",
      description = "Parallel schedule: steps between weight averages (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int syncEvery;

  @Option(
      names = "--he",
      description =
          "Encrypt activations at the cut: none or ckks (u-shaped, server part one "
              + "linear layer, e.g. ecg-cnn) (default: ${DEFAULT-VALUE}).",
      defaultValue = "none")
  String he;

  @Option(
      names = "--he-params",
      description = "CKKS parameter set: n4096 or n8192 (default: ${DEFAULT-VALUE}).",
      defaultValue = "n4096")
  String heParams;

  @Option(
      names = "--he-gradients",
      description =
          "aggregate (server sees only batch sums) or per-sample (as in "
              + "Split Ways, leaks labels; for comparison) (default: ${DEFAULT-VALUE}).",
      defaultValue = "aggregate")
  String heGradients;

  @Option(
      names = "--he-min-batch",
      description =
          "Smallest batch whose layer gradient a client sends; shorter "
              + "trailing batches merge into the one before (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int heMinBatch;

  @Option(
      names = "--he-dp-clip",
      paramLabel = "C",
      description =
          "Clip each sample's server-layer gradient to "
              + "L2 norm C before the batch sum (0: off; default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  float heDpClip;

  @Option(
      names = "--he-dp-noise",
      paramLabel = "Z",
      description =
          "Add Gaussian noise of deviation Z*C to the "
              + "server-layer gradient (DP-SGD; epsilon in results.json) (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  float heDpNoise;

  @Option(
      names = "--he-logit-noise",
      paramLabel = "S",
      description =
          "Deviation of the noise added to decrypted "
              + "logits, drowning the CKKS error before it reaches the server (default: ${DEFAULT-VALUE}, 2^-10).",
      defaultValue = "0.0009765625")
  float heLogitNoise;

  @Option(
      names = "--seed",
      description = "Seed of data order, partitions and weights (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  long seed;

  @Option(
      names = "--limit",
      description = "Use only the first N training samples (0: all).",
      defaultValue = "0")
  int limit;

  @Option(
      names = "--test-limit",
      description = "Use only the first N test samples (0: all).",
      defaultValue = "0")
  int testLimit;

  @Option(
      names = "--data-dir",
      description = "Folder holding the data sets (DIR/NAME/...); also $SPLITLEARN_DATA.")
  Path dataDir;

  @Option(
      names = "--mitbih-split",
      description = "MIT-BIH split: intra-patient or inter-patient (default: ${DEFAULT-VALUE}).",
      defaultValue = "intra-patient")
  String mitbihSplit;

  @Option(
      names = "--beat-window",
      description = "MIT-BIH beat window in samples (default: ${DEFAULT-VALUE}).",
      defaultValue = "128")
  int beatWindow;

  @Option(
      names = "--out",
      description = "Output folder for results.json and checkpoints (default: ${DEFAULT-VALUE}).",
      defaultValue = "runs/latest")
  Path out;

  @Option(
      names = "--baseline",
      description = "none, central or local (default: ${DEFAULT-VALUE}).",
      defaultValue = "none")
  String baseline;

  @Option(
      names = "--nopeek",
      paramLabel = "ALPHA",
      description =
          "NoPeek defense: add ALPHA x dCor^2(inputs, "
              + "activations) to each client's extractor loss (0: off; dCor is reported per epoch either way).",
      defaultValue = "0")
  float noPeek;

  @Option(
      names = "--noise",
      paramLabel = "gaussian:S|laplace:B",
      description =
          "Defense: add Gaussian noise of "
              + "standard deviation S, or Laplace noise of scale B, to every activation a client sends (none: off; default: "
              + "${DEFAULT-VALUE}).",
      defaultValue = "none")
  String noise;

  @Option(
      names = "--noise-seed",
      paramLabel = "run|secure|N",
      description =
          "Seed of the defenses' noise: run (derived "
              + "from --seed, reproducible; whoever knows the seed knows the noise), secure (drawn from SecureRandom, not "
              + "reproducible, not recorded) or a number (default: ${DEFAULT-VALUE}).",
      defaultValue = "run")
  String noiseSeed;

  @Option(
      names = "--dp-clip",
      paramLabel = "C",
      description =
          "Defense, differential privacy: clip each sample's "
              + "activation to L2 norm C before it is sent (with --dp-noise; 0: off) (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double dpClip;

  @Option(
      names = "--dp-noise",
      paramLabel = "Z",
      description =
          "Gaussian noise of standard deviation Z x C on each "
              + "clipped activation; epsilon per epoch is reported (sensitivity 2C, one release per sample per epoch, no "
              + "subsampling amplification) (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double dpNoise;

  @Option(
      names = "--dp-delta",
      paramLabel = "D",
      description = "The delta at which epsilon is reported " + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "1e-5")
  double dpDelta;

  @Option(
      names = "--quantize",
      paramLabel = "BITS",
      description =
          "Defense: quantise each batch's activations to "
              + "2^BITS uniform levels (1..8; 0: off) and send them bit-packed, BITS bits per value "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int quantize;

  @Option(
      names = "--top-k",
      paramLabel = "FRAC",
      description =
          "Defense: keep each sample's largest-magnitude FRAC "
              + "of activation entries, zero the rest, and send only the kept ones (positions and values) (0: off) "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double topK;

  @Option(
      names = "--client-defenses",
      paramLabel = "JSON",
      description =
          "Per-client defenses: a list of "
              + "{id: N, nopeek|top-k|dp-clip|dp-noise|dp-delta|noise|quantize: value} entries overriding the run's flags "
              + "for those clients; usually a 'client-defenses:' list in the --config file (see README).")
  String clientDefenses;

  @Option(
      names = "--grad-dp-clip",
      paramLabel = "C",
      description =
          "Clip each sample's row of the gradient that "
              + "carries the labels to L2 norm C: vanilla, the activations' gradient the server returns; u-shaped, the cloud "
              + "output's gradient the client sends (with --grad-dp-noise; 0: off) (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double gradDpClip;

  @Option(
      names = "--grad-dp-noise",
      paramLabel = "Z",
      description =
          "Add Gaussian noise of standard deviation "
              + "Z x C to every entry of that gradient; epsilon per epoch in results.json "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double gradDpNoise;

  @Option(
      names = "--grad-dp-delta",
      paramLabel = "D",
      description =
          "The delta at which that gradient's "
              + "epsilon is reported (default: ${DEFAULT-VALUE}).",
      defaultValue = "1e-5")
  double gradDpDelta;

  @Option(
      names = "--grad-dp-seed",
      paramLabel = "secure|run|N",
      description =
          "Seed of that gradient's noise: "
              + "secure (SecureRandom, not recorded), run (--seed, reproducible) or a number (default: ${DEFAULT-VALUE}).",
      defaultValue = "secure")
  String gradDpSeed;

  private Defenses defenses;
  private List<ClientDefenses> perClient;
  private GradientDp gradientDp;
  private boolean gradientDpRead;

  @Option(
      names = "--extractor",
      paramLabel = "trained|pretrained:PATH",
      description =
          "The client's extractor: "
              + "trained with the rest (default), or PrivyNet's: the first --layers blocks of a model from 'splitlearn "
              + "pretrain' (PATH: its --out folder), frozen, keeping --channels of the last block's channels "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "trained")
  String extractor;

  @Option(
      names = "--layers",
      paramLabel = "K",
      description =
          "With --extractor pretrained: the blocks (stages) of "
              + "the pretrained model the client runs (the first cut falls after block K). A server gives it too, with "
              + "--channels and --channel-select: they are part of the plan.")
  Integer layers;

  @Option(
      names = "--channels",
      paramLabel = "C",
      description =
          "With --layers: output channels of block K the client "
              + "keeps and sends, 1..the block's channels (default: all).")
  Integer channels;

  @Option(
      names = "--channel-select",
      paramLabel = "random|ranked",
      description =
          "With --layers: which channels: "
              + "random (seeded by --seed) or ranked (largest L1 norm of the block's last convolution filters) "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "ranked")
  String channelSelect;

  @Option(names = "--resume", description = "Resume from the checkpoints in OUT/checkpoints.")
  boolean resume;

  @Option(names = "--no-progress", description = "Do not draw progress bars.")
  boolean noProgress;

  @Option(
      names = "--compression",
      description =
          "How activations and their gradients cross the cut: float32, "
              + "float16 or int8 (per-tensor scale) (default: ${DEFAULT-VALUE}).",
      defaultValue = "float32")
  String compression;

  @Option(
      names = "--transport",
      description =
          "in-process (every party in this JVM) or grpc (train only: one server "
              + "and one process per client on loopback) (default: ${DEFAULT-VALUE}).",
      defaultValue = "in-process")
  String transport;

  @Option(
      names = "--onednn",
      description =
          "oneDNN kernels: auto (on unless the kernel self-test finds them wrong "
              + "on this CPU), on or off (default: auto, or $SPLITLEARN_ONEDNN / -Dsplitlearn.onednn).")
  String oneDnn;

  /** Applies {@code --onednn} to the process's kernel guard, when given. */
  void applyOneDnn() {
    if (oneDnn != null) {
      KernelGuard.global().setMode(OneDnnMode.parse(oneDnn, "--onednn"));
    }
  }

  /**
   * The defenses the options describe (the same object on every call: a secure seed is drawn once).
   *
   * @throws IllegalArgumentException naming the flag at fault
   */
  Defenses defenses() {
    if (defenses == null) {
      AdditiveNoise n =
          noise == null || noise.trim().equalsIgnoreCase("none")
              ? null
              : AdditiveNoise.parse(noise);
      long s;
      String source;
      switch (noiseSeed.trim()) {
        case "run" -> {
          s = seed;
          source = "run";
        }
        case "secure" -> {
          s = new SecureRandom().nextLong();
          source = "secure";
        }
        default -> {
          try {
            s = Long.parseLong(noiseSeed.trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "--noise-seed must be run, secure or a number, got '" + noiseSeed + "'");
          }
          source = "explicit";
        }
      }
      defenses = new Defenses(topK, dpClip, dpNoise, dpDelta, n, quantize, s, source);
    }
    return defenses;
  }

  /**
   * How dense cut tensors are encoded ({@code --compression}): gradients, cloud outputs, and
   * activations unless a client's defenses lay them out sparse or bit-packed.
   *
   * @throws IllegalArgumentException naming {@code --compression}
   */
  Compression cutCompression() {
    try {
      return Compression.parse(compression);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--compression: " + e.getMessage());
    }
  }

  /**
   * Each client's own NoPeek and defenses from {@code --client-defenses} (a config file's {@code
   * client-defenses}), empty when not given.
   *
   * @throws IllegalArgumentException naming the entry and key at fault
   */
  List<ClientDefenses> clientDefenses() {
    if (perClient == null) {
      perClient =
          clientDefenses == null || clientDefenses.isBlank()
              ? List.of()
              : ClientDefenseOptions.parse(clientDefenses, clients, noPeek, defenses());
    }
    return perClient;
  }

  /** What client {@code id} does: its entry of {@link #clientDefenses()}, else the run's flags. */
  ClientDefenses defensesOf(int id) {
    return clientDefenses().stream()
        .filter(c -> c.client() == id)
        .findFirst()
        .orElseGet(() -> new ClientDefenses(id, noPeek, defenses()));
  }

  /**
   * The DP on the gradient that carries the labels (the vanilla server's or the u-shaped clients'),
   * or null when off (the same object on every call: a secure seed is drawn once).
   *
   * @throws IllegalArgumentException naming the {@code --grad-dp-*} flag at fault
   */
  GradientDp gradientDp() {
    if (!gradientDpRead) {
      if ((gradDpClip == 0) != (gradDpNoise == 0)) {
        throw new IllegalArgumentException(
            "--grad-dp-clip and --grad-dp-noise go together (both > 0), got "
                + gradDpClip
                + " and "
                + gradDpNoise);
      }
      if (gradDpClip != 0) {
        if (!he.equals("none")) {
          throw new IllegalArgumentException(
              "--grad-dp-clip/--grad-dp-noise protect plaintext gradients; with --he "
                  + he
                  + " use --he-dp-clip and --he-dp-noise");
        }
        long s;
        String source;
        switch (gradDpSeed.trim()) {
          case "secure" -> {
            s = new SecureRandom().nextLong();
            source = "secure";
          }
          case "run" -> {
            s = seed;
            source = "run";
          }
          default -> {
            try {
              s = Long.parseLong(gradDpSeed.trim());
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException(
                  "--grad-dp-seed must be secure, run or a number, got '" + gradDpSeed + "'");
            }
            source = "explicit";
          }
        }
        gradientDp = new GradientDp(gradDpClip, gradDpNoise, gradDpDelta, s, source);
      }
      gradientDpRead = true;
    }
    return gradientDp;
  }

  /** Whether the clients, not the server, apply {@link #gradientDp()} (u-shaped plans). */
  boolean gradientDpByClient() {
    return !protocol.equals("vanilla");
  }

  /** The encryption settings, or null for plaintext. */
  /**
   * The (epsilon, delta = 1e-5) of the server-layer gradients after {@code epochs}, when DP is on:
   * each sample is in one batch per epoch, so each epoch is one Gaussian mechanism of noise
   * multiplier Z on its clipped contribution (no amplification by sampling is claimed: batches are
   * shuffled, not Poisson sampled); null otherwise.
   */
  Map<String, Object> heDpGuarantee(int epochs) {
    if (he.equals("none") || heDpNoise == 0) {
      return null;
    }
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put(
        "epsilon",
        RdpAccountant.epsilonOfReleases(heDpNoise, epochs, 1e-5)); // sensitivity C: multiplier Z
    m.put("delta", 1e-5);
    m.put("epochs", epochs);
    m.put("noise_multiplier", heDpNoise);
    m.put("clip", heDpClip);
    m.put(
        "unit",
        "one training sample (add/remove); what is protected: the server-layer gradients the server sees");
    return m;
  }

  CkksEncryption encryption() {
    switch (he) {
      case "none":
        return null;
      case "ckks":
        return new CkksEncryption(
            heParams,
            GradientExchange.parse(heGradients),
            new GradientPrivacy(heMinBatch, heDpClip, heDpNoise, heLogitNoise));
      default:
        throw new IllegalArgumentException("--he: unknown value '" + he + "' (none, ckks)");
    }
  }
}
