package dev.splitlearn.cli;

import dev.splitlearn.report.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn report}: one self-contained HTML page (a table, training curves, the
 * accuracy/leakage trade-off, reconstructions) from run folders (results.json) and attack folders
 * (attack.json), or from folders that hold such folders. Which folder counts as what is {@link
 * dev.splitlearn.report.Inputs}'s rule.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write one self-contained HTML report of runs and attacks.",
      "Each DIR holds results.json (a run), attack.json (an attack of the run its 'run' key names), both, "
          + "or subfolders that do."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "DIR",
      description = "Run or attack folders, or folders of them.")
  List<Path> folders;

  @Option(
      names = "--out",
      paramLabel = "FILE.html",
      description = "The page to write (default: ${DEFAULT-VALUE}).",
      defaultValue = "report.html")
  Path out;

  @Option(
      names = "--title",
      paramLabel = "T",
      description = "The page's title (default: ${DEFAULT-VALUE}).",
      defaultValue = "splitlearn report")
  String title;

  @Override
  public Integer call() throws IOException {
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out must be a file to write, got the folder " + out);
    }
    Report.write(folders, title, out);
    spec.commandLine()
        .getErr()
        .printf("splitlearn report: %s (%d KB)%n", out, (Files.size(out) + 1023) / 1024);
    return ExitCode.OK;
  }
}
