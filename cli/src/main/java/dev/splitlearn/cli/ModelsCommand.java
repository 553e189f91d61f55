package dev.splitlearn.cli;

import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code splitlearn models}: lists the zoo with stages and default cuts. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "List the models, their stages (cut points) and default cuts.")
final class ModelsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    for (String name : ModelZoo.names()) {
      boolean ecg = name.startsWith("ecg");
      ModelSpec m =
          ModelZoo.get(name, ecg ? new long[] {1, 128} : new long[] {1, 28, 28}, ecg ? 5 : 10);
      spec.commandLine().getOut().printf("%s%n", name);
      m.stages()
          .forEach(
              s -> spec.commandLine().getOut().printf("  %-8s %s%n", s.name(), s.description()));
      spec.commandLine()
          .getOut()
          .printf(
              "  default cuts: vanilla %s, u-shaped %s%n",
              m.defaultCuts(Protocol.VANILLA), m.defaultCuts(Protocol.U_SHAPED));
    }
    return ExitCode.OK;
  }
}
