package dev.splitlearn.cli;

import dev.splitlearn.attacks.BlackBoxInversion;
import dev.splitlearn.privacy.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code splitlearn attack}: a curious server's attack on a trained run, scored, written to
 * OUT/attack.json. Today: black-box inversion ({@code --kind inversion}): {@code --leaked} of the
 * first {@code --limit} samples' (input, activation) pairs train a decoder, the rest are
 * reconstructed from their activations alone. Beside attack.json go {@value #SHOWN} held-out inputs and
 * their reconstructions, {@code originals.npy} and {@code reconstructions.npy} (shape: that many
 * samples of the data set's sample shape, e.g. (16, 1, 28, 28)), for reports and other tools.
 */
@Command(name = "attack", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Attack a trained run as a curious server would; write OUT/attack.json.")
final class AttackCommand implements Callable<Integer> {
  /** How many held-out samples and reconstructions are saved as pictures of the attack. */
  static final int SHOWN = 16;

  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(names = "--run", required = true, paramLabel = "DIR", description = "The run's output folder.")
  Path run;

  @Option(names = "--kind", description = "inversion (default: ${DEFAULT-VALUE}).", defaultValue = "inversion")
  String kind;

  @Option(names = "--leaked", paramLabel = "K", description = "Pairs the attacker knows (default: ${DEFAULT-VALUE}).",
      defaultValue = "500")
  int leaked;

  @Option(names = "--client", description = "Whose extractor (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  int client;

  @Option(names = "--split", description = "train or test (default: ${DEFAULT-VALUE}).", defaultValue = "test")
  String split;

  @Option(names = "--attack-epochs", description = "Epochs of the decoder's training (default: ${DEFAULT-VALUE}).",
      defaultValue = "30")
  int attackEpochs;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!kind.equals("inversion")) {
      throw new IllegalArgumentException("--kind: only 'inversion' is built so far, got '" + kind + "'");
    }
    if (attackEpochs < 1) {
      throw new IllegalArgumentException("--attack-epochs must be >= 1");
    }
    Runner.Setup s = new Runner(options, err).setup();
    int n = Math.min(options.limit > 0 ? options.limit : 2 * leaked, (split.equals("test") ? s.test() : s.train()).size());
    Pairs p = Pairs.of(s, run, client, split, n, options.seed);
    long[] xs = p.xShape();
    int side = xs.length == 4 && xs[1] == 1 && xs[2] == xs[3] ? (int) xs[2] : 0; // single-channel square images
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("run", run.toString());
    r.put("plan", s.plan().fingerprint());
    r.put("split", split);
    r.put("samples", p.n());
    BlackBoxInversion.Outcome outcome = BlackBoxInversion.attack(p.x(), p.xLength(), p.z(), p.zLength(), p.n(), leaked,
        attackEpochs, options.seed, side >= 11 ? side : 0);
    r.putAll(outcome.scores());
    r.putAll(saveSamples(p, outcome.reconstructions()));
    Versions.provenance(r);
    Runner.writeAtomically(options.out.resolve("attack.json"), r);
    err.printf("splitlearn attack: inversion from %d leaked pairs, %s reconstructions scored: MSE %.4f (guessing the "
        + "mean: %.4f), PSNR %.2f dB%s -> %s%n", leaked, r.get("scored"), r.get("mse"), r.get("mse_of_guessing_the_mean"),
        r.get("psnr_db"), r.get("ssim") == null ? "" : String.format(", SSIM %.3f", r.get("ssim")),
        options.out.resolve("attack.json"));
    return ExitCode.OK;
  }

  /**
   * Writes the first {@link #SHOWN} held-out inputs (samples {@code leaked..}) and their reconstructions
   * to OUT as .npy files; returns the attack.json entries that name them.
   */
  private Map<String, Object> saveSamples(Pairs p, float[] reconstructions) throws IOException {
    int k = Math.min(SHOWN, p.n() - leaked);
    int len = p.xLength();
    long[] shape = p.xShape().clone();
    shape[0] = k;
    float[] originals = new float[k * len];
    System.arraycopy(p.x(), leaked * len, originals, 0, k * len);
    float[] guesses = Arrays.copyOf(reconstructions, k * len);
    Files.createDirectories(options.out);
    Npy.writeFloats(options.out.resolve("originals.npy"), shape, originals);
    Npy.writeFloats(options.out.resolve("reconstructions.npy"), shape, guesses);
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("originals", "originals.npy");
    files.put("reconstructions", "reconstructions.npy");
    files.put("samples_shown", k);
    files.put("first_sample_shown", leaked);
    return files;
  }
}
