package dev.podkit.tcpambassador;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmbassadorConfigTest {
  @TempDir Path dir;

  private static AmbassadorConfig config(List<String> problems, String... args) {
    return config(Map.of(), problems, args);
  }

  private static AmbassadorConfig config(Map<String, String> env, List<String> problems, String... args) {
    return AmbassadorConfig.from(AmbassadorConfig.options("test").parse(args, env), problems);
  }

  private static AmbassadorConfig ok(String... args) {
    List<String> problems = new ArrayList<>();
    AmbassadorConfig c = config(problems, args);
    assertEquals(List.of(), problems);
    assertNotNull(c);
    return c;
  }

  private static List<String> problems(String... args) {
    List<String> problems = new ArrayList<>();
    assertNull(config(problems, args));
    return problems;
  }

  @Test
  void flags_oneListenOneUpstream_oneRouteWithDefaults() {
    AmbassadorConfig c = ok("--listen", ":6379", "--upstream", "my-redis.example.com:6379");
    Route r = c.routes().getFirst();
    assertEquals(new HostPort("", 6379), r.listen());
    assertEquals(List.of(new HostPort("my-redis.example.com", 6379)), r.upstreams());
    assertEquals(Route.Balance.ROUND_ROBIN, r.balance());
    assertNull(r.tls());
    assertEquals(3, c.connect().retries());
    assertEquals(Duration.ofHours(1), c.relay().idleTimeout());
    assertEquals(Duration.ofSeconds(30), c.relay().halfCloseTimeout());
    assertEquals(1024, c.backlog());
    assertEquals(0, c.maxConnections());
    assertEquals(9402, c.admin().getPort());
  }

  @Test
  void flags_oneListenSeveralUpstreams_oneRouteWithEveryEndpoint() {
    AmbassadorConfig c = ok("--listen", "127.0.0.1:6379", "--upstream", "a:1,b:2", "--upstream", "[::1]:3",
        "--balance", "least_conn");
    Route r = c.routes().getFirst();
    assertEquals(List.of(new HostPort("a", 1), new HostPort("b", 2), new HostPort("::1", 3)), r.upstreams());
    assertEquals(Route.Balance.LEAST_CONN, r.balance());
    assertEquals("127.0.0.1:6379", r.name());
  }

  @Test
  void flags_listenUpstreamPairs_oneRouteEach() {
    AmbassadorConfig c = ok("--listen", ":6379", "--upstream", "redis:6379", "--listen", "5432", "--upstream", "pg:5432");
    assertEquals(2, c.routes().size());
    assertEquals(List.of(new HostPort("pg", 5432)), c.routes().get(1).upstreams());
    assertEquals(5432, c.routes().get(1).listen().port());
  }

  @Test
  void env_listenAndUpstream_sameAsFlags() {
    List<String> problems = new ArrayList<>();
    AmbassadorConfig c = config(Map.of("PODKIT_LISTEN", ":6379", "PODKIT_UPSTREAM", "redis:6379"), problems);
    assertEquals(List.of(), problems);
    assertEquals(List.of(new HostPort("redis", 6379)), c.routes().getFirst().upstreams());
  }

  @Test
  void socat_documentedAmbassadorLine_oneRoute() {
    AmbassadorConfig c = ok("TCP-LISTEN:6379,fork,reuseaddr", "TCP:my-redis.example.com:6379");
    Route r = c.routes().getFirst();
    assertEquals(new HostPort("", 6379), r.listen());
    assertEquals(List.of(new HostPort("my-redis.example.com", 6379)), r.upstreams());
    assertEquals(Route.Family.ANY, r.family());
  }

  @Test
  void socat_leadingSocatWordAndTcp4_ipv4Route() {
    AmbassadorConfig c = ok("socat", "tcp4-listen:6379,fork,bind=127.0.0.1,backlog=4096,max-children=50",
        "TCP4:10.0.0.7:6379,connect-timeout=2.5");
    Route r = c.routes().getFirst();
    assertEquals(Route.Family.IPV4, r.family());
    assertEquals(new HostPort("127.0.0.1", 6379), r.listen());
    assertEquals(4096, c.backlog());
    assertEquals(50, c.maxConnections());
    assertEquals(Duration.ofMillis(2500), c.connect().connectTimeout());
  }

  @Test
  void socat_openssl_upstreamTlsFromItsOptions() {
    List<String> problems = new ArrayList<>();
    SocatAddresses.Parsed s = SocatAddresses.parse("TCP-LISTEN:5432,fork", "OPENSSL:db.example.com:5432,cafile=/ca.pem,"
        + "cert=/client.pem,verify=1,snihost=db.internal", problems);
    assertEquals(List.of(), problems);
    assertEquals(new UpstreamTls(true, "db.internal", true, Path.of("/ca.pem"), Path.of("/client.pem"), null),
        s.route().tls());
    assertNull(s.route().listenTls());
    assertEquals(List.of("socat address 'OPENSSL:db:5432,capath=/etc/ssl/certs,cipher=HIGH': option 'capath' is not "
            + "supported by tcp-ambassador",
        "socat address 'OPENSSL:db:5432,capath=/etc/ssl/certs,cipher=HIGH': option 'cipher' is not supported by "
            + "tcp-ambassador"), problems("TCP-LISTEN:5432", "OPENSSL:db:5432,capath=/etc/ssl/certs,cipher=HIGH"));
  }

  @Test
  void socat_opensslListen_listenerTlsFromItsOptions_verifyNeedsCafileAsInSocat() {
    List<String> problems = new ArrayList<>();
    SocatAddresses.Parsed s = SocatAddresses.parse("OPENSSL-LISTEN:8443,fork,reuseaddr,cert=/s.pem,key=/s.key,cafile=/ca.pem",
        "TCP:localhost:8080", problems);
    assertEquals(List.of(), problems);
    assertEquals(new ListenerTls(Path.of("/s.pem"), Path.of("/s.key"), Path.of("/ca.pem")), s.route().listenTls());
    assertNull(s.route().tls());
    s = SocatAddresses.parse("SSL-L:8443,cert=/s.pem,verify=0", "TCP:localhost:8080", problems);
    assertEquals(new ListenerTls(Path.of("/s.pem"), null, null), s.route().listenTls());
    assertEquals(List.of(
        "socat address 'OPENSSL-LISTEN:8443': OPENSSL-LISTEN needs cert= (the server certificate, PEM)",
        "socat address 'OPENSSL-LISTEN:8443': verify=1 (socat's default) checks client certificates and needs cafile=; "
            + "give cafile= or verify=0",
        "socat address 'OPENSSL-LISTEN:8443,cert=/s.pem,verify=2,method=TLS1.2': verify=2 (use verify=0 or verify=1)",
        "socat address 'OPENSSL-LISTEN:8443,cert=/s.pem,verify=2,method=TLS1.2': option 'method' is not supported by "
            + "tcp-ambassador"),
        concat(problems("OPENSSL-LISTEN:8443", "TCP:a:1"),
            problems("OPENSSL-LISTEN:8443,cert=/s.pem,verify=2,method=TLS1.2", "TCP:a:1")));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void routeFile_listenTls_andFlags_listenerTlsOnTheirRoutes() throws IOException {
    Path f = Files.writeString(dir.resolve("routes.yaml"), """
        routes:
          - listen: ":8443"
            upstream: app:8080
            listen-tls: {cert: /tls/s.crt, key: /tls/s.key, client-ca: /ca/clients.pem}
          - listen: ":9443"
            upstream: app:9090
            listen-tls: {key: /tls/s.key, pin: x}
        """);
    List<String> problems = new ArrayList<>();
    List<Route> routes = RouteFile.read(f, problems);
    assertEquals(new ListenerTls(Path.of("/tls/s.crt"), Path.of("/tls/s.key"), Path.of("/ca/clients.pem")),
        routes.getFirst().listenTls());
    String at = "--config " + f + ": routes[1].listen-tls";
    assertEquals(List.of(at + ": unknown key 'pin'", at + ".cert: missing (the server certificate, PEM)"), problems);
    assertEquals(List.of("--listen-tls-key and --listen-tls-client-ca need --listen-tls-cert"),
        problems("--listen", ":1", "--upstream", "a:1", "--listen-tls-key", "/k.pem"));
  }

  @Test
  void healthChecks_offByDefault_flagsMakeThePolicy() {
    assertFalse(ok("--listen", ":1", "--upstream", "a:1").healthCheck().enabled());
    assertEquals(new HealthCheckPolicy(Duration.ofSeconds(2), Duration.ofMillis(500), 3, 2),
        ok("--listen", ":1", "--upstream", "a:1", "--health-check-interval", "2s", "--health-check-timeout", "500ms")
            .healthCheck());
  }

  @Test
  void socat_unsupportedOptionsAndBadAddresses_everyProblemListed() {
    List<String> p = problems("TCP-LISTEN:6379,fork,range=10.0.0.0/8,su=nobody", "TCP:redis:6379,retry=5");
    assertEquals(List.of(
        "socat address 'TCP-LISTEN:6379,fork,range=10.0.0.0/8,su=nobody': option 'range' is not supported by tcp-ambassador",
        "socat address 'TCP-LISTEN:6379,fork,range=10.0.0.0/8,su=nobody': option 'su' is not supported by tcp-ambassador",
        "socat address 'TCP:redis:6379,retry=5': option 'retry' is not supported by tcp-ambassador"), p);
    assertEquals(List.of("socat address 'TCP:redis:6379': the first address must be TCP-LISTEN:PORT[,options] "
            + "or OPENSSL-LISTEN:PORT[,options] (the two addresses are swapped?)",
        "socat address 'TCP-LISTEN:80': the second address must be TCP:HOST:PORT or OPENSSL:HOST:PORT[,options]"),
        problems("TCP:redis:6379", "TCP-LISTEN:80"));
    assertEquals(List.of("socat address 'TCP-LISTEN:99999': want TCP-LISTEN:PORT with a port of 1-65535",
        "socat address 'TCP:redis': want TCP:HOST:PORT"), problems("TCP-LISTEN:99999", "TCP:redis"));
    assertEquals(List.of("want two socat addresses (TCP-LISTEN:PORT,... TCP:HOST:PORT), got 1: TCP-LISTEN:1"),
        problems("TCP-LISTEN:1"));
  }

  @Test
  void aRouteWithOtherProblems_stillHasItsTlsFilesChecked() throws IOException {
    Path f = Files.writeString(dir.resolve("routes.yaml"), """
        routes:
          - listen: ":6380"
            upstream: redis:6379
            balance: random
            tls: {ca-file: /nonexistent/ca.pem}
        """);
    assertEquals(List.of("--config " + f + ": routes[0].balance: 'random' is not one of round_robin|least_conn",
            ":6380 TLS CA file /nonexistent/ca.pem: no such file"),
        problems("--config", f.toString()));
    assertEquals(List.of(
            "socat address 'OPENSSL:redis:6379,retry=5,cafile=/nonexistent/ca.pem': option 'retry' is not supported by tcp-ambassador",
            ":6379 TLS CA file /nonexistent/ca.pem: no such file"),
        problems("TCP-LISTEN:6379", "OPENSSL:redis:6379,retry=5,cafile=/nonexistent/ca.pem"));
  }

  @Test
  void socat_optionAgainstFlag_disagreementIsAProblem() {
    assertEquals(List.of("--backlog and socat's backlog= disagree; give one of them"),
        problems("--backlog", "10", "TCP-LISTEN:1,backlog=20", "TCP:a:1"));
  }

  @Test
  void badFlags_everyProblemListed() {
    List<String> p = problems("--listen", ":6379", "--upstream", "redis", "--listen", ":1", "--upstream", "a:1",
        "--upstream", "b:2", "--connect-timeout", "0", "--retries", "-1", "--nope", "--upstream-key", "/k.pem");
    assertEquals(List.of(
        "--retries: out of range [0, 100]: -1",
        "unknown option --nope",
        "give one --upstream per --listen (2 --listen, 3 --upstream); several endpoints of one route go comma-separated in one --upstream",
        "--connect-timeout must be positive"), p);
    assertEquals(List.of("--listen: bad port 'x' in ':x' (1-65535)", "--upstream: no port in 'redis' (use HOST:PORT)",
        "--upstream: an IPv6 address needs brackets: '::1:5' (as in [::1]:6379)"),
        problems("--listen", ":x", "--upstream", "redis,::1:5"));
  }

  @Test
  void tlsFiles_missing_problemNamesEachFile() {
    List<String> p = problems("--listen", ":1", "--upstream", "a:1", "--upstream-ca-file", "/nonexistent/ca.pem",
        "--upstream-cert", "/nonexistent/c.pem", "--upstream-key", "/nonexistent/k.pem");
    assertEquals(List.of(":1 TLS CA file /nonexistent/ca.pem: no such file", ":1 TLS certificate /nonexistent/c.pem: no such file",
        ":1 TLS key /nonexistent/k.pem: no such file"), p);
  }

  @Test
  void noRoute_saysHow() {
    assertEquals(List.of("no route given (for example: --listen :6379 --upstream redis:6379, or socat's "
        + "TCP-LISTEN:6379,fork TCP:redis:6379)"), problems());
  }

  @Test
  void samePortTwice_isAProblem() {
    assertEquals(List.of("port 6379 is the listen port of more than one route"),
        problems("--listen", ":6379", "--upstream", "a:1", "TCP-LISTEN:6379", "TCP:b:1"));
  }

  @Test
  void routeFile_yaml_routesWithTheirSettings() throws IOException {
    Path f = Files.writeString(dir.resolve("routes.yaml"), """
        routes:
          - listen: ":6379"
            upstream: [redis-a:6379, redis-b:6379]
            balance: least-conn
            proxy-protocol: v2
          - listen: 5432
            upstream: pg:5432
            family: ipv4
            tls: {server-name: pg.internal, verify: false}
        """);
    AmbassadorConfig c = ok("--config", f.toString());
    assertEquals(2, c.routes().size());
    Route a = c.routes().get(0);
    assertEquals(List.of(new HostPort("redis-a", 6379), new HostPort("redis-b", 6379)), a.upstreams());
    assertEquals(Route.Balance.LEAST_CONN, a.balance());
    assertEquals(Route.ProxyProtocol.V2, a.proxyProtocol());
    Route b = c.routes().get(1);
    assertEquals(Route.Family.IPV4, b.family());
    assertEquals(new UpstreamTls(false, "pg.internal", true, null, null, null), b.tls());
  }

  @Test
  void routeFile_json_sameSchema() throws IOException {
    Path f = Files.writeString(dir.resolve("routes.json"), """
        {"routes": [{"listen": ":6379", "upstream": "redis:6379"}]}
        """);
    assertEquals(List.of(new HostPort("redis", 6379)), ok("--config", f.toString()).routes().getFirst().upstreams());
  }

  @Test
  void routeFile_badEntries_everyProblemWithItsPlace() throws IOException {
    Path f = Files.writeString(dir.resolve("routes.yaml"), """
        routes:
          - listen: ":6379"
            upstreams: redis:6379
          - listen: ":1"
            upstream: a:1
            balance: random
            tls: {verify: maybe, pin: x}
        extra: 1
        """);
    List<String> p = problems("--config", f.toString());
    String at = "--config " + f + ": ";
    assertEquals(List.of(at + "unknown key 'extra'", at + "routes[0]: unknown key 'upstreams'",
        at + "routes[0].upstream: missing (HOST:PORT or a list of them)",
        at + "routes[1].balance: 'random' is not one of round_robin|least_conn",
        at + "routes[1].tls: unknown key 'pin'", at + "routes[1].tls.verify: want true or false, not \"maybe\""), p);
  }

  @Test
  void routeFile_unreadableOrNotYaml_oneProblem() throws IOException {
    assertTrue(problems("--config", "/nonexistent/r.yaml").getFirst().startsWith("--config /nonexistent/r.yaml: cannot read"));
    Path f = Files.writeString(dir.resolve("bad.json"), "{routes: [");
    String p = problems("--config", f.toString()).getFirst();
    assertTrue(p.startsWith("--config " + f + ": not valid JSON: "), p);
    assertFalse(p.contains("\n"), p);
  }

  @Test
  void routeFile_secondDocumentOrTrailingValue_refusedNotIgnored() throws IOException {
    Path yaml = Files.writeString(dir.resolve("two.yaml"), """
        routes:
          - {listen: ":6379", upstream: "redis:6379"}
        ---
        routes:
          - {listen: ":6380", upstream: "redis:6380"}
        """);
    assertEquals(List.of("--config " + yaml + ": not valid YAML: more than one document or value"),
        problems("--config", yaml.toString()));
    Path json = Files.writeString(dir.resolve("two.json"), """
        {"routes": [{"listen": ":6379", "upstream": "redis:6379"}]} {"routes": []}
        """);
    assertEquals(List.of("--config " + json + ": not valid JSON: more than one document or value"),
        problems("--config", json.toString()));
  }
}
