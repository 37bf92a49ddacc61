package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SIGTERM sequence in a real child JVM, signalled with kill(1). */
class ShutdownIT {
  private record Result(int code, String out) {}

  private static Result runAndTerminate(long drainMs, long deadlineMs) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ShutdownDemo.class.getName(),
        Long.toString(drainMs), Long.toString(deadlineMs)).redirectErrorStream(true).start();
    try {
      // Wait for "running" (a blocking read of its first line, bounded by the process's own life).
      var in = p.getInputStream();
      StringBuilder out = new StringBuilder();
      for (int c; (c = in.read()) != -1 && !out.toString().contains("\"running\""); ) {
        out.append((char) c);
      }
      Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start();
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not exit");
      out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return new Result(p.exitValue(), out.toString());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void sigterm_drainInTime_readinessOffThenFlushThenExit0() throws Exception {
    Result r = runAndTerminate(200, 5000);
    assertEquals(0, r.code(), r.out());
    String out = r.out();
    assertTrue(out.contains("\"message\":\"shutting down\",\"signal\":\"SIGTERM\",\"deadline\":\"5s\""), out);
    assertTrue(out.contains("\"message\":\"draining\",\"readyz\":\"shutting down\""), "readiness off before the drain: " + out);
    assertTrue(out.indexOf("\"flushed\"") < out.indexOf("\"message\":\"stopped\""), out);
  }

  @Test
  void sigterm_drainPastDeadline_exits1AtTheDeadline() throws Exception {
    long t0 = System.nanoTime();
    Result r = runAndTerminate(60_000, 300);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("\"message\":\"drain deadline passed; exiting with work left\""), r.out());
    assertTrue(ms < 20_000, "took " + ms + " ms");
  }
}
