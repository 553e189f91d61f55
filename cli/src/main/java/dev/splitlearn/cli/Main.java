package dev.splitlearn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code splitlearn}: the command line. */
@Command(
    name = "splitlearn",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    description =
        "Privacy-preserving split learning: train a network cut between clients and a server.",
    subcommands = {
      TrainCommand.class,
      PretrainCommand.class,
      CharacterizeCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      ModelsCommand.class,
      DoctorCommand.class,
      ServerCommand.class,
      ClientCommand.class,
      TokensCommand.class,
      LoadCommand.class,
      ExportCommand.class,
      AttackCommand.class,
      ReportCommand.class,
      CrowdCommand.class,
      MultitaskCommand.class,
      PlanCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @Option(
      names = "--errors",
      description = "Print the full stack trace of an error.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean errors;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /**
   * Builds the command line with its error handling; {@code out}/{@code err} are injectable for
   * tests.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          boolean trace =
              parsed.matchedOption("--errors") != null
                  || parsed.subcommands().stream()
                      .anyMatch(p -> p.matchedOption("--errors") != null);
          Throwable cause = ex instanceof UncheckedIOException u ? u.getCause() : ex;
          cmd.getErr().println("splitlearn: error: " + oneLine(cause));
          if (trace) {
            cause.printStackTrace(cmd.getErr());
          } else {
            cmd.getErr().println("(run with --errors for the stack trace)");
          }
          cmd.getErr().flush();
          return cause instanceof IOException
              ? ExitCode.INPUT
              : cause instanceof IllegalArgumentException ? ExitCode.USAGE : ExitCode.FAILURE;
        });
    cl.setParameterExceptionHandler(
        (ParameterException ex, String[] args) -> {
          ex.getCommandLine().getErr().println("splitlearn: error: " + ex.getMessage());
          ex.getCommandLine().getErr().println("(see --help)");
          return ExitCode.USAGE;
        });
    return cl;
  }

  static String oneLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.replace('\n', ' ');
  }

  /** Runs the command line on {@code args}, reading option defaults from {@code --config FILE}. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine(out, err);
    int at = java.util.Arrays.asList(args).indexOf("--config");
    // 'crowd' and 'multitask' read their own config formats (nested sections), not option defaults
    if (at >= 0
        && at + 1 < args.length
        && args.length > 0
        && cl.getSubcommands().containsKey(args[0])
        && !args[0].equals("crowd")
        && !args[0].equals("multitask")) {
      CommandLine sub = cl.getSubcommands().get(args[0]);
      java.util.Set<String> keys = new java.util.TreeSet<>();
      sub.getCommandSpec()
          .options()
          .forEach(o -> keys.add(o.longestName().replaceFirst("^--", "")));
      try {
        sub.setDefaultValueProvider(
            new ConfigFileDefaults(java.nio.file.Path.of(args[at + 1]), keys));
      } catch (UncheckedIOException | IllegalArgumentException e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        err.println("splitlearn: error: " + oneLine(cause));
        err.flush();
        return cause instanceof IOException ? ExitCode.INPUT : ExitCode.USAGE;
      }
    }
    return cl.execute(args);
  }

  /** Entry point. */
  public static void main(String[] args) {
    CpuShare.markCommandStart();
    if (args.length > 0 && (args[0].equals("server") || args[0].equals("client"))) {
      // a long-running party logs who joins and leaves (read once, before the first logger exists)
      System.setProperty("org.slf4j.simpleLogger.log.dev.splitlearn.core.server", "info");
      System.setProperty("org.slf4j.simpleLogger.log.dev.splitlearn.transport", "info");
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }
}
