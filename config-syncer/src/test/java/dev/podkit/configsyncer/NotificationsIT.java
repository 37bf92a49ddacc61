package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.Backoff;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.RecordingHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notifications to real endpoints: a webhook server on loopback, a child process, a file. */
class NotificationsIT {
  private static final Backoff FAST = new Backoff(Duration.ofMillis(50), 2, Duration.ofMillis(200));
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void webhook_downThenUp_retriedUntilAccepted_burstCollapsedToNewest() throws Exception {
    try (RecordingHttpServer app = new RecordingHttpServer()) {
      app.status(503);
      RecordingSyncEvents events = new RecordingSyncEvents();
      try (Notifications n = new Notifications(
          List.of(new WebhookNotifier(URI.create(app.url("/-/reload")), "POST", new Connector(null, Duration.ofSeconds(2)))), FAST, events)) {
        n.published("v1");
        Await.until(WAIT, "two refused calls", () -> app.refused() >= 2);
        n.published("v2");
        n.published("v3");
        // Up only once a retry carried v3: a call with v2 already on the wire when the endpoint
        // comes up would be accepted, and the test would say nothing about collapsing.
        Await.until(WAIT, "a refused call carrying v3", () -> app.refusedBodies().stream().anyMatch(b -> b.contains("v3")));
        app.status(200);

        assertTrue(n.awaitIdle(WAIT.toMillis()));
      }
      assertEquals(List.of("{\"version\":\"v3\"}\n"), app.bodies(), "one call, carrying the newest version");
      assertEquals(List.of("application/json"), app.contentTypes());
      assertTrue(events.events().contains("notified webhook v3"), events.events().toString());
      assertTrue(events.events().stream().noneMatch(e -> e.equals("notified webhook v1") || e.equals("notified webhook v2")));
    }
  }

  @Test
  void touch_replacesTheFileWithTheVersion() throws Exception {
    Path touched = dir.resolve("reload.stamp");
    try (Notifications n = new Notifications(List.of(new TouchNotifier(touched)), FAST, new RecordingSyncEvents())) {
      n.published("sha256:abc");
      assertTrue(n.awaitIdle(WAIT.toMillis()));
    }
    assertEquals("sha256:abc\n", Files.readString(touched));
  }

  @Test
  void signal_processFoundByName_getsTheSignal() throws Exception {
    Process app = new ProcessBuilder("sleep", "60").start();
    try {
      // A /proc of our own holding only the child: other processes named sleep on this machine are never touched.
      Path proc = fakeProc(app.pid(), "sleep", "/usr/bin/sleep\0" + "60\0");
      SignalNotifier signal = new SignalNotifier("sleep", "TERM", proc);

      signal.notify("v1");

      assertTrue(app.waitFor(10, TimeUnit.SECONDS), "the child got SIGTERM");
      assertEquals(128 + 15, app.exitValue());
    } finally {
      app.destroyForcibly();
    }
  }

  @Test
  void signal_matchByFirstArgument_andNoProcess_isAnErrorToRetry() throws Exception {
    Process app = new ProcessBuilder("sleep", "60").start();
    try {
      Path proc = fakeProc(app.pid(), "java", "/opt/app/bin/nginx\0-g\0");
      assertEquals(List.of(app.pid()), new SignalNotifier("nginx", "HUP", proc).find());
      IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
          () -> new SignalNotifier("haproxy", "HUP", proc).notify("v1"));
      assertTrue(e.getMessage().contains("no process named haproxy"), e.getMessage());
    } finally {
      app.destroyForcibly();
    }
  }

  private Path fakeProc(long pid, String comm, String cmdline) throws IOException {
    Path p = Files.createDirectories(dir.resolve("proc/" + pid));
    Files.writeString(p.resolve("comm"), comm + "\n");
    Files.writeString(p.resolve("cmdline"), cmdline);
    return dir.resolve("proc");
  }
}
