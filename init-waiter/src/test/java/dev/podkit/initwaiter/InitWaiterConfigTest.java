package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitWaiterConfigTest {
  private static InitWaiterConfig config(Map<String, String> env, String... args) {
    List<String> problems = new ArrayList<>();
    InitWaiterConfig c = InitWaiterConfig.from(InitWaiterConfig.options("test").parse(args, env), problems);
    assertEquals(List.of(), problems);
    return c;
  }

  private static List<String> problems(String... args) {
    List<String> problems = new ArrayList<>();
    assertNull(InitWaiterConfig.from(InitWaiterConfig.options("test").parse(args, Map.of()), problems));
    return problems;
  }

  @Test
  void from_defaults_areDocumentedValues() {
    InitWaiterConfig c = config(Map.of(), "tcp://db:5432");
    assertEquals(Duration.ofMinutes(5), c.policy().timeout());
    assertEquals(Duration.ofSeconds(2), c.policy().attemptTimeout());
    assertEquals(Duration.ofMillis(100), c.policy().backoff().initial());
    assertEquals(Duration.ofMillis(500), c.policy().backoff().max());
    assertEquals(9405, c.admin().getPort());
  }

  @Test
  void from_targetsFromArgumentsAndEnvironment_areAllKept() {
    InitWaiterConfig c = config(Map.of("PODKIT_TARGETS", "redis://cache:6379, dns://db", "PODKIT_MODE", "any"),
        "tcp://db:5432");
    assertEquals(List.of("tcp://db:5432", "redis://cache:6379", "dns://db"),
        c.targets().stream().map(Target::name).toList());
    assertTrue(c.policy().any());
  }

  @Test
  void from_everyProblem_isListed() {
    List<String> p = problems("bogus://x", "tcp://db", "--timeout", "soon", "--interval", "2s",
        "--max-interval", "1s", "--http-status", "9xx", "--admin-address", ":http", "--ca-file", "/nonexistent.pem");
    assertEquals(List.of(
        "--timeout: bad duration 'soon' (use a number and a unit: 500ms, 10s, 2m, 1h30m)",
        "--http-status: bad status '9xx' (use 200, 200-299, 2xx or a comma list)",
        "--ca-file: CA file /nonexistent.pem is not readable",
        "--max-interval (1s) is shorter than --interval (2s)",
        "--admin-address: bad port in ':http' (use :PORT, HOST:PORT or off)"), p);
  }

  @Test
  void from_targetProblems_areListedWhenFlagsAreFine() {
    List<String> p = problems("bogus://x", "tcp://db", "db:0");
    assertEquals(3, p.size(), p.toString());
    assertTrue(p.get(0).contains("unknown scheme 'bogus'"));
    assertTrue(p.get(1).contains("no port"));
    assertTrue(p.get(2).contains("bad port"));
  }

  @Test
  void from_longIntervalAlone_raisesTheCapWithIt() {
    InitWaiterConfig c = config(Map.of(), "--interval", "2s", "db:1");
    assertEquals(Duration.ofSeconds(2), c.policy().backoff().initial());
    assertEquals(Duration.ofSeconds(2), c.policy().backoff().max());
  }

  @Test
  void from_noTarget_saysSo() {
    assertEquals(List.of("no target given (for example: init-waiter tcp://db:5432)"), problems());
  }

  @Test
  void from_adminOff_disablesTheEndpoint() {
    assertNull(config(Map.of("PODKIT_ADMIN_ADDRESS", "off"), "db:1").admin());
    assertNotNull(config(Map.of(), "--admin-address", "127.0.0.1:0", "db:1").admin());
  }
}
