package dev.splitlearn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code splitlearn train}: one split-learning run, optionally with a baseline. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train a split model over several clients and write OUT/results.json.")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Override
  public Integer call() throws Exception {
    if (options.transport.equals("grpc")) {
      new Runner(options, spec.commandLine().getErr()).validate();
      java.nio.file.Path file = new LoopbackRun(spec.commandLine().getParseResult().originalArgs(), options,
          spec.commandLine().getErr()).run();
      spec.commandLine().getErr().println("splitlearn: results of the server and every client process -> " + file);
      return ExitCode.OK;
    }
    new Runner(options, spec.commandLine().getErr()).run();
    return ExitCode.OK;
  }
}
