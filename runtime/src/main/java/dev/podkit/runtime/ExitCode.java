package dev.podkit.runtime;

/**
 * The exit codes every podkit helper uses.
 *
 * <p>0 and 2 follow the usual Unix meaning, 124 is the timeout code of coreutils' {@code timeout},
 * wait-for-it and wait4x, so scripts written for those keep working.
 */
public final class ExitCode {
  /** The job is done, or a SIGTERM was handled by draining and flushing. */
  public static final int OK = 0;
  /** The job failed at run time; the log says why. */
  public static final int FAILURE = 1;
  /** Bad flags, environment or configuration: every problem was printed on stderr. */
  public static final int USAGE = 2;
  /** The overall deadline passed before the job was done. */
  public static final int TIMEOUT = 124;
  /** Stopped by SIGTERM or SIGINT before an init job finished (128 + 15, as a shell reports it). */
  public static final int TERMINATED = 143;

  private ExitCode() {}
}
