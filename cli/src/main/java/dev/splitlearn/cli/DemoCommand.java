package dev.splitlearn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitlearn demo}: a short U-shaped MNIST run with two clients on the bundled subset. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Train mnist-cnn U-shaped with 2 parallel clients on the MNIST subset shipped in demo-data/ (offline).")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--epochs",
      description = "Epochs (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int epochs;

  @Option(
      names = "--out",
      description = "Output folder (default: ${DEFAULT-VALUE}).",
      defaultValue = "runs/demo")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path data = Path.of(System.getProperty("splitlearn.home", ".")).resolve("demo-data");
    if (!Files.isDirectory(data.resolve("mnist"))) {
      throw new java.io.IOException(data.resolve("mnist") + ": the demo's MNIST subset is missing");
    }
    TrainCommand train = new TrainCommand();
    new picocli.CommandLine(train)
        .parseArgs(
            "--dataset",
            "mnist",
            "--model",
            "mnist-cnn",
            "--protocol",
            "u-shaped",
            "--clients",
            "2",
            "--schedule",
            "parallel",
            "--batch",
            "64",
            "--lr",
            "0.001",
            "--epochs",
            Integer.toString(epochs),
            "--data-dir",
            data.toString(),
            "--out",
            out.toString());
    TrainOptions o = train.options;
    new Runner(o, spec.commandLine().getErr()).run();
    return ExitCode.OK;
  }
}
