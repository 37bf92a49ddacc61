package dev.podkit.testfixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A helper's main class run as a real child JVM with the test's class path: its stdout and stderr
 * are collected as they come, it can be signalled (SIGTERM via {@link #terminate}) and awaited.
 */
public final class JavaProcess implements AutoCloseable {
  private final Process process;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Thread outPump;
  private final Thread errPump;

  private JavaProcess(Process process) {
    this.process = process;
    this.outPump = pump(process.getInputStream(), out);
    this.errPump = pump(process.getErrorStream(), err);
  }

  /** Starts {@code mainClass} with {@code args}; {@code env} is added to a copy of this process's. */
  public static JavaProcess start(String mainClass, Map<String, String> env, String... args) {
    return start(List.of(), mainClass, env, args);
  }

  /** The same, with {@code jvmFlags} after the defaults (an image's heap flags, say). */
  public static JavaProcess start(List<String> jvmFlags, String mainClass, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    // As the images run: Netty loads its native libraries (epoll, BoringSSL) without the JDK's
    // restricted-method warning on stderr, which tests read.
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("PODKIT_"));
    pb.environment().putAll(env);
    try {
      return new JavaProcess(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (sink) {
            sink.write(buf, 0, n);
          }
        }
      } catch (IOException e) {
        // The process ended; what was read is kept.
      }
    }, "pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Writes {@code bytes} to the process's stdin and, if {@code close}, closes it (end of input). */
  public void stdin(byte[] bytes, boolean close) {
    try {
      var in = process.getOutputStream();
      in.write(bytes);
      in.flush();
      if (close) {
        in.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the exit code; fails the test after {@code timeout}. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("process still running after " + timeout + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
      }
      outPump.join(5000);
      errPump.join(5000);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /**
   * Sends SIGTERM with kill(1). Not {@link Process#destroy()}: it also closes this side's pipes,
   * and whatever the process writes while it shuts down would be lost.
   */
  public void terminate() {
    signal("TERM");
  }

  /**
   * Sends SIGTERM and fails the test unless the process exits 0 within {@code timeout}: the clean
   * stop every podkit helper owes Kubernetes (drain, flush, exit 0). The failure carries its output.
   */
  public void terminateCleanly(Duration timeout) {
    terminate();
    int code = awaitExit(timeout);
    if (code != 0) {
      throw new AssertionError("exit " + code + " after SIGTERM, not 0\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
    }
  }

  /**
   * Sends SIGKILL (kill -9), as the OOM killer or a node failure would: no handler and no shutdown
   * hook runs. Then waits for the exit.
   */
  public void kill() {
    signal("KILL");
    awaitExit(Duration.ofSeconds(10));
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** The process id (for /proc and for tools such as prlimit). */
  public long pid() {
    return process.pid();
  }

  public String stdout() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Stdout's bytes as written (invalid UTF-8 included). */
  public byte[] stdoutBytes() {
    synchronized (out) {
      return out.toByteArray();
    }
  }

  public String stderr() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
