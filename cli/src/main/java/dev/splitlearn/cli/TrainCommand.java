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
    new Runner(options, spec.commandLine().getErr()).run();
    return ExitCode.OK;
  }
}
