package dev.podkit.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server run as a child process, its output appended to a log file; and the few process
 * chores the server fixtures share. A shutdown hook stops the server if the test JVM exits
 * without doing so, so no server outlives a failed build.
 */
final class ServerProcess {
  /** Output of a finished command: its exit code (-1 when it timed out) and what it printed. */
  record Result(int exit, String output) {}

  /** A condition that may run a command to find out. */
  @FunctionalInterface
  interface Condition {
    boolean holds() throws InterruptedException;
  }

  private final Process process;
  private final Path log;
  private final String stopSignal;
  private final Thread hook;

  private ServerProcess(Process process, Path log, String stopSignal) {
    this.process = process;
    this.log = log;
    this.stopSignal = stopSignal;
    this.hook = new Thread(() -> stopQuietly(Duration.ofSeconds(5)));
  }

  /**
   * Starts {@code command}; {@link #stop} sends it {@code stopSignal} ("INT", "TERM").
   * The command must be the server itself (exec'ing, not forking), so the signal reaches it.
   */
  static ServerProcess start(List<String> command, Path log, String stopSignal)
      throws IOException {
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
    ServerProcess s = new ServerProcess(p, log, stopSignal);
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Sends the stop signal and waits up to {@code grace} for the exit, then kills. */
  void stop(Duration grace) throws InterruptedException {
    signal(stopSignal);
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and this runs from the hook itself: nothing to remove.
    }
  }

  /** Kills the server at once (SIGKILL), for when there is no time to stop it. */
  void kill() {
    process.destroyForcibly();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs anyway and finds the process gone.
    }
  }

  /** Sends {@code signal} ("HUP", "INT", ...) to the server, if it still runs. */
  void signal(String signal) throws InterruptedException {
    if (process.isAlive()) {
      run(List.of("kill", "-s", signal, Long.toString(process.pid())), Duration.ofSeconds(5));
    }
  }

  /**
   * Waits until {@code condition} holds, checking every 25 ms; fails with the log's
   * tail when the server exits or the timeout passes first.
   */
  void await(String what, Duration timeout, Condition condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(what + ": server exited " + process.exitValue()
            + "; log " + log + ":\n" + tail(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not within " + timeout + "; log " + log
            + ":\n" + tail(log));
      }
      // Waiting on the process, not sleeping: an exit ends the pause at once.
      process.waitFor(25, TimeUnit.MILLISECONDS);
    }
  }

  private void stopQuietly(Duration grace) {
    try {
      stop(grace);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code command} to its end, killing it after {@code timeout}. */
  static Result run(List<String> command, Duration timeout) throws InterruptedException {
    try {
      Path out = Files.createTempFile("podkit-cmd-", ".out");
      try {
        Process p = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        return new Result(done ? p.exitValue() : -1, Files.readString(out));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.getFirst(), e);
    }
  }

  /** Like {@link #run} but fails, with the output, unless the command exits 0. */
  static String runOrFail(List<String> command, Duration timeout) throws InterruptedException {
    Result r = run(command, timeout);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + r.exit() + ":\n"
          + r.output());
    }
    return r.output();
  }

  /** {@code command} run as OS user {@code user} when we are root, else unchanged. */
  static List<String> asUser(String user, boolean root, List<String> command) {
    if (!root) {
      return command;
    }
    // setpriv execs the command (runuser and su fork and wait), so signals reach the server.
    List<String> c = new ArrayList<>(List.of(
        "setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
    c.addAll(command);
    return c;
  }

  /** The last lines of {@code log}, for failure messages. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
