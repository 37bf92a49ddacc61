package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetParserTest {
  private static final TargetDefaults DEFAULTS = new TargetDefaults(
      new HttpExpectations(StatusRange.parse("200-299"), null, null, List.of(), null, false), 1, false);
  private final TargetParser parser = new TargetParser(DEFAULTS);

  private Target ok(String spec) {
    List<String> problems = new ArrayList<>();
    Target t = parser.parse(spec, problems);
    assertEquals(List.of(), problems, spec);
    assertNotNull(t, spec);
    return t;
  }

  private List<String> bad(String spec) {
    List<String> problems = new ArrayList<>();
    assertNull(parser.parse(spec, problems), spec);
    assertTrue(!problems.isEmpty(), spec);
    return problems;
  }

  @Test
  void parse_eachScheme_givesItsProbe() {
    assertInstanceOf(TcpProbe.class, ok("tcp://db-service:5432").probe());
    assertInstanceOf(TcpProbe.class, ok("db-service:5432").probe());
    assertInstanceOf(TcpProbe.class, ok("[::1]:5432").probe());
    assertInstanceOf(HttpProbe.class, ok("http://api:8080/healthz").probe());
    assertInstanceOf(HttpProbe.class, ok("https://api/healthz").probe());
    assertInstanceOf(DnsProbe.class, ok("dns://db-service.default.svc.cluster.local").probe());
    assertInstanceOf(DnsProbe.class, ok("dns:db").probe());
    assertInstanceOf(FileProbe.class, ok("file:///var/run/ready").probe());
    assertInstanceOf(PostgresProbe.class, ok("postgres://app:s3cret@db:5432/app").probe());
    assertInstanceOf(PostgresProbe.class, ok("postgresql://db").probe());
    assertInstanceOf(RedisProbe.class, ok("redis://:pw@cache").probe());
  }

  @Test
  void parse_passwords_areRedactedInTheName() {
    assertEquals("postgres://app:***@db:5432/app", ok("postgres://app:s3cret@db:5432/app").name());
    assertEquals("redis://:***@cache", ok("redis://:pw@cache").name());
    assertEquals("db:5432", ok("db:5432").name());
  }

  @Test
  void parse_badTargets_sayWhatIsWrong() {
    assertEquals(List.of("bad target 'bogus://x': unknown scheme 'bogus' (use tcp://, http://, https://, dns://, "
        + "file://, postgres://, redis://)"), bad("bogus://x"));
    assertEquals(List.of("bad target 'tcp://db': no port (use tcp://HOST:PORT)"), bad("tcp://db"));
    assertEquals(List.of("bad target 'tcp://db:99999': bad port (1 to 65535)"), bad("tcp://db:99999"));
    assertEquals(List.of("bad target 'tcp://db:abc': bad port (1 to 65535)"), bad("tcp://db:abc"));
    assertEquals(List.of("bad target 'file://relative': use file:///ABSOLUTE/PATH"), bad("file://relative"));
    assertTrue(bad("just-a-word").getFirst().contains("no scheme"));
    assertTrue(bad("http://api/x#colour=red").getFirst().contains("unknown setting 'colour'"));
    assertTrue(bad("http://api/x#status=7xx").getFirst().contains("bad status '7xx'"));
    assertEquals(List.of("target 'dns://db#min-addresses=many': min-addresses: not a whole number of at least 1: 'many'"),
        bad("dns://db#min-addresses=many"));
  }

  @Test
  void parse_fragmentSettings_overrideDefaultsForThatTargetOnly() {
    List<String> problems = new ArrayList<>();
    TargetDefaults d = DEFAULTS.with(java.util.Map.of("status", List.of("204"), "body", List.of("ok"),
        "header", List.of("X-A=b"), "min-addresses", List.of("3"), "non-empty", List.of("true")), "t", problems);
    assertEquals(List.of(), problems);
    assertTrue(d.http().status().contains(204));
    assertTrue(!d.http().status().contains(200));
    assertEquals("ok", d.http().bodyContains());
    assertEquals("X-A", d.http().headers().getFirst().name());
    assertEquals(3, d.minAddresses());
    assertTrue(d.nonEmpty());
  }
}
