package dev.podkit.configsyncer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends a signal (SIGHUP by default) to the app's processes found by name in {@code /proc}: the
 * pod must share its process namespace ({@code shareProcessNamespace: true}) and the app must run
 * as the same user (or the syncer be allowed to signal it). A process matches when its
 * {@code comm} or the last segment of its first argument equals the name. libc's {@code kill(2)}
 * is called through the FFM API: the image has no {@code kill} binary.
 */
final class SignalNotifier implements Notifier {
  /** The signals worth sending to ask for a reload, by name. */
  static final Map<String, Integer> SIGNALS = Map.of("HUP", 1, "INT", 2, "QUIT", 3, "USR1", 10, "USR2", 12,
      "TERM", 15, "WINCH", 28);

  private final String processName;
  private final String signalName;
  private final int signal;
  private final Path proc;

  SignalNotifier(String processName, String signalName, Path proc) {
    this.processName = processName;
    this.signalName = signalName.toUpperCase(Locale.ROOT);
    Integer n = SIGNALS.get(this.signalName);
    if (n == null) throw new IllegalArgumentException("unknown signal: " + signalName);
    this.signal = n;
    this.proc = proc;
  }

  @Override
  public String kind() {
    return "signal";
  }

  @Override
  public void notify(String version) throws IOException {
    List<Long> pids = find();
    if (pids.isEmpty()) {
      throw new IOException("no process named " + processName + " in " + proc + " (is the process namespace shared?)");
    }
    List<String> failures = new ArrayList<>();
    for (long pid : pids) {
      int errno = Kill.kill(pid, signal);
      if (errno != 0) {
        failures.add("pid " + pid + ": " + (errno == 1 ? "not permitted (EPERM)" : errno == 3 ? "gone (ESRCH)" : "errno " + errno));
      }
    }
    if (failures.size() == pids.size()) {
      throw new IOException("SIG" + signalName + " to " + processName + " failed: " + String.join(", ", failures));
    }
  }

  /** The ids of the processes named {@code processName}, this one excepted. */
  List<Long> find() throws IOException {
    long self = ProcessHandle.current().pid();
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : entries) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (pid != self && matches(p)) pids.add(pid);
      }
    }
    return pids;
  }

  private boolean matches(Path dir) {
    try {
      String comm = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
      // comm is cut to 15 bytes by the kernel.
      String want = processName.length() > 15 ? processName.substring(0, 15) : processName;
      if (comm.equals(want)) return true;
      byte[] cmdline = Files.readAllBytes(dir.resolve("cmdline"));
      int end = 0;
      while (end < cmdline.length && cmdline[end] != 0) end++;
      String argv0 = new String(cmdline, 0, end, StandardCharsets.UTF_8);
      return argv0.substring(argv0.lastIndexOf('/') + 1).equals(processName);
    } catch (IOException e) {
      return false; // the process ended while we looked, or is not ours to read
    }
  }

  /** libc's kill(2), bound on first use. */
  private static final class Kill {
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle KILL;

    static {
      Linker linker = Linker.nativeLinker();
      KILL = linker.downcallHandle(linker.defaultLookup().find("kill").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
          Linker.Option.captureCallState("errno"));
    }

    /** Sends {@code signal} to {@code pid}; returns 0 or the errno. */
    static int kill(long pid, int signal) {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment state = arena.allocate(STATE);
        int r = (int) KILL.invokeExact(state, (int) pid, signal);
        return r == 0 ? 0 : (int) ERRNO.get(state, 0L);
      } catch (Throwable t) {
        throw new IllegalStateException("kill(2) could not be called", t);
      }
    }
  }
}
