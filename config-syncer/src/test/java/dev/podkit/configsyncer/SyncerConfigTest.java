package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncerConfigTest {
  private static SyncerConfig parse(List<String> problems, Map<String, String> env, String... args) {
    Options o = SyncerConfig.options("test");
    return SyncerConfig.from(o.parse(args, env), problems, env);
  }

  @Test
  void from_httpSourceWithDefaults_valid() {
    List<String> problems = new ArrayList<>();
    SyncerConfig c = parse(problems, Map.of(), "--source", "https://example.com/site.tar.gz", "--target", "/data");

    assertEquals(List.of(), problems);
    assertTrue(c.source() instanceof HttpSource);
    assertEquals(Duration.ofSeconds(30), c.schedule().period());
    assertEquals(100L << 20, c.limits().maxBytes());
    assertEquals(9404, c.admin().getPort());
    assertEquals("https://example.com/site.tar.gz", c.source().describe());
  }

  @Test
  void from_positionalSourceAndTarget_andEnvironment() {
    List<String> problems = new ArrayList<>();
    SyncerConfig c = parse(problems, Map.of("PODKIT_ONCE", "true", "PODKIT_CHECK", "json,yaml"),
        "dir:///etc/a", "/data");

    assertEquals(List.of(), problems);
    assertTrue(c.once());
    assertEquals(Set.of(SyntaxCheck.Kind.JSON, SyntaxCheck.Kind.YAML), c.checks());
    assertTrue(c.source() instanceof DirectorySource);
  }

  @Test
  void from_everyProblemReportedAtOnce() {
    List<String> problems = new ArrayList<>();
    SyncerConfig c = parse(problems, Map.of(), "--source", "ftp://x/y", "--jitter", "2", "--period", "0s",
        "--check", "toml", "--sha256", "abc", "--signal-process", "nginx", "--signal", "KILL",
        "--webhook-url", "mailto:me", "--max-bytes", "lots");

    assertNull(c);
    String all = String.join("\n", problems);
    for (String expected : List.of("--max-bytes", "no --target", "--jitter", "--period must be positive", "--check: not json",
        "--signal: not one of", "--webhook-url must be http", "unknown kind 'ftp'")) {
      assertTrue(all.contains(expected), "missing '" + expected + "' in:\n" + all);
    }
  }

  @Test
  void from_httpOptionsChecked() {
    List<String> problems = new ArrayList<>();
    parse(problems, Map.of(), "--source", "https://h/x", "--target", "/d", "--sha256", "xyz", "--http-header", "novalue",
        "--bearer-token-file", "/nonexistent/token", "--file-name", "../x");
    String all = String.join("\n", problems);
    for (String expected : List.of("--sha256: not 64 hex", "--http-header: not NAME=VALUE", "--bearer-token-file: cannot read",
        "--file-name")) {
      assertTrue(all.contains(expected), "missing '" + expected + "' in:\n" + all);
    }
  }

  @Test
  void from_gitSources_sshNeedsKeyAndKnownHosts_s3NeedsABucket() {
    List<String> problems = new ArrayList<>();
    SyncerConfig https = parse(problems, Map.of(), "--source", "git+https://example.com/org/repo.git", "--target", "/d",
        "--git-ref", "v1.2", "--git-path", "site/");
    assertEquals(List.of(), problems);
    assertTrue(https.source() instanceof GitSource);
    assertEquals("https://example.com/org/repo.git v1.2 site", https.source().describe());

    assertNull(parse(problems, Map.of(), "--source", "git+ssh://git@example.com/org/repo.git", "--target", "/d"));
    assertTrue(problems.getFirst().contains("needs --git-ssh-key-file and --git-known-hosts-file"), problems.toString());
    problems.clear();
    assertNull(parse(problems, Map.of(), "--source", "s3:///key", "--target", "/d", "--git-path", "../up"));
    String all = String.join("\n", problems);
    assertTrue(all.contains("no bucket"), all);
  }

  @Test
  void from_s3Source_regionAndEndpointFromOptionsOrEnvironment() {
    List<String> problems = new ArrayList<>();
    SyncerConfig aws = parse(problems, Map.of("AWS_REGION", "eu-west-1"), "--source", "s3://site-bucket/www/", "--target", "/d");
    SyncerConfig minio = parse(problems, Map.of(), "--source", "s3://b/conf.tar.gz", "--target", "/d",
        "--s3-endpoint", "http://minio:9000");
    assertEquals(List.of(), problems);
    assertEquals("s3://site-bucket/www/ at https://s3.eu-west-1.amazonaws.com", aws.source().describe());
    assertEquals("s3://b/conf.tar.gz at http://minio:9000", minio.source().describe());
  }

  @Test
  void from_mergingFoldersWithAnotherKind_refused() {
    List<String> problems = new ArrayList<>();
    assertNull(parse(problems, Map.of(), "--source", "dir:///a", "--source", "https://h/x", "--target", "/d"));
    assertTrue(problems.getFirst().contains("only local folders"), problems.toString());
    problems.clear();
    assertNotNull(parse(problems, Map.of(), "--source", "dir:///a", "--source", "dir:///b", "--target", "/d"));
  }

  @Test
  void schedule_jitterOnlyShortensThePeriod_failuresBackOffUpToIt() {
    SyncLoop.Schedule s = new SyncLoop.Schedule(Duration.ofSeconds(10), 0.2,
        new dev.podkit.runtime.Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(60)));
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 1000; i++) {
      Duration d = s.afterSuccess(r);
      assertTrue(d.compareTo(Duration.ofSeconds(8)) >= 0 && d.compareTo(Duration.ofSeconds(10)) <= 0, d.toString());
    }
    assertEquals(Duration.ofSeconds(1), s.afterFailure(0));
    assertEquals(Duration.ofSeconds(8), s.afterFailure(3));
    assertEquals(Duration.ofSeconds(10), s.afterFailure(10), "never longer than the period");
  }
}
