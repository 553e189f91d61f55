package dev.splitlearn.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitlearn train}: one split-learning run, optionally with a baseline. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Train a split model over several clients and write OUT/results.json.")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(
      names = "--tap",
      paramLabel = "FILE",
      description =
          "Record every frame the server receives and sends "
              + "(what a curious server sees) into FILE, for 'splitlearn attack' and audits (with --transport grpc the "
              + "server process records).")
  Path tap;

  @Option(
      names = "--tap-max-mb",
      paramLabel = "M",
      description =
          "Stop recording once the tap file holds this " + "many MiB (default: ${DEFAULT-VALUE}).",
      defaultValue = "4096")
  long tapMaxMb;

  @Override
  public Integer call() throws Exception {
    if (tapMaxMb < 1) {
      throw new IllegalArgumentException("--tap-max-mb must be >= 1, got " + tapMaxMb);
    }
    if (options.transport.equals("grpc")) {
      new Runner(options, spec.commandLine().getErr()).validate();
      Path file =
          new LoopbackRun(
                  spec.commandLine().getParseResult().originalArgs(),
                  options,
                  spec.commandLine().getErr())
              .tap(tap, tapMaxMb)
              .run();
      spec.commandLine()
          .getErr()
          .println("splitlearn: results of the server and every client process -> " + file);
      return ExitCode.OK;
    }
    Runner runner = new Runner(options, spec.commandLine().getErr());
    if (tap != null) {
      runner.tap(tap, tapMaxMb << 20);
    }
    runner.run();
    return ExitCode.OK;
  }
}
