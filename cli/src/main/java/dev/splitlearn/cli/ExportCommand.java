package dev.splitlearn.cli;

import dev.splitlearn.privacy.Npy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn export}: what a curious server could pair up, as NumPy files for anyone's own
 * attacks: {@code X.npy} (inputs), {@code Z.npy} (the activations the client's trained extractor
 * sends for them) and {@code y.npy} (labels), for the first {@code --limit} samples of a split
 * (default 1,000). The extractor is restored from a run's checkpoint (the run's options must be
 * given again, e.g. with the same {@code --config}; the checkpoint's plan is checked against them).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Write X.npy, Z.npy (the cut activations) and y.npy for a trained run's extractor.")
final class ExportCommand implements Callable<Integer> {
  private static final int DEFAULT_SAMPLES = 1000;

  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "DIR",
      description =
          "The run's output folder (its "
              + "checkpoints/ or client-ID/checkpoints/ holds the client's extractor).")
  Path run;

  @Option(
      names = "--client",
      description = "Whose extractor (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int client;

  @Option(
      names = "--split",
      description = "train or test (default: ${DEFAULT-VALUE}).",
      defaultValue = "test")
  String split;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!split.equals("train") && !split.equals("test")) {
      throw new IllegalArgumentException("--split must be train or test, got '" + split + "'");
    }
    Runner.Setup s = new Runner(options, err).setup();
    int n =
        Math.min(
            options.limit > 0 ? options.limit : DEFAULT_SAMPLES,
            (split.equals("test") ? s.test() : s.train()).size()); // --limit: samples exported
    Pairs p = Pairs.of(s, run, client, split, n, options.seed);
    Path out = Files.createDirectories(options.out);
    Npy.writeFloats(out.resolve("X.npy"), p.xShape(), p.x());
    Npy.writeFloats(out.resolve("Z.npy"), p.zShape(), p.z());
    Npy.writeInts(out.resolve("y.npy"), new long[] {n}, p.y());
    err.printf(
        "splitlearn export: %d %s samples of client %d's extractor (%s) -> %s {X,Z,y}.npy, Z of shape %s%n",
        n, split, client, s.plan(), out, java.util.Arrays.toString(p.zShape()));
    return ExitCode.OK;
  }
}
