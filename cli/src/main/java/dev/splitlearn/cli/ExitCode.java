package dev.splitlearn.cli;

/** Named process exit codes. */
public final class ExitCode {
  /** Success. */
  public static final int OK = 0;

  /** An unexpected failure (a bug, or the machine). */
  public static final int FAILURE = 1;

  /** Bad command line or configuration. */
  public static final int USAGE = 2;

  /** Missing, corrupt or unusable input data or checkpoint. */
  public static final int INPUT = 3;

  private ExitCode() {}
}
