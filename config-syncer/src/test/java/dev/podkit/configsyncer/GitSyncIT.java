package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.Ticker;
import dev.podkit.testfixtures.GitRemote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syncs from real Git remotes made with the git CLI: file://, git daemon, git http-backend with a token. */
class GitSyncIT {
  private static final Limits LIMITS = new Limits(1 << 20, 1000);

  @TempDir Path dir;
  private GitRemote remote;
  private final RecordingSyncEvents events = new RecordingSyncEvents();

  @AfterEach
  void close() throws Exception {
    if (remote != null) remote.close();
  }

  private Path target() {
    return dir.resolve("target");
  }

  private Syncer syncer(String url, String ref, String subPath, GitSource.Access access) throws IOException {
    GitSource source = new GitSource(url, ref, subPath, 1, target().resolve("..git"), access, Duration.ofSeconds(10));
    return new Syncer(source, new Publisher(target()), target(), LIMITS, new SyntaxCheck(Set.of()), events, Ticker.system());
  }

  private static GitSource.Access anonymous() {
    return new GitAccess("git", null);
  }

  private String read(String name) throws IOException {
    return Files.readString(target().resolve(name));
  }

  @Test
  void gitDaemon_branchHead_publishedThenUnchangedWithoutFetch_thenNewCommit() throws Exception {
    remote = GitRemote.create(dir.resolve("remote"));
    String c1 = remote.commit("one", "app.yaml", "v: 1\n", "conf.d/a.conf", "a");
    Syncer s = syncer(remote.daemon(), "main", "", anonymous());

    Syncer.Outcome first = s.sync(new Cancellation());
    Syncer.Outcome again = s.sync(new Cancellation());
    String c2 = remote.commit("two", "app.yaml", "v: 2\n", "conf.d/a.conf", null);
    Syncer.Outcome third = s.sync(new Cancellation());

    assertEquals(Syncer.Result.PUBLISHED, first.result(), first.message());
    assertEquals(c1.substring(0, 12), first.version());
    assertEquals(Syncer.Result.UNCHANGED, again.result());
    assertEquals(c2.substring(0, 12), third.version());
    assertEquals("v: 2\n", read("app.yaml"));
    assertFalse(Files.exists(target().resolve("conf.d/a.conf")));
    assertFalse(Files.exists(target().resolve(".git")), "no .git in the published version");
    assertTrue(Files.isDirectory(target().resolve("..git")), "the bare repository is kept beside the versions");
  }

  @Test
  void httpBackendWithToken_tagAndSubPath_published_wrongTokenRefused() throws Exception {
    remote = GitRemote.create(dir.resolve("remote"));
    remote.commit("site", "public/index.html", "<h1>v1</h1>", "README.md", "not published");
    remote.inWork("tag", "-a", "v1.0", "-m", "release");
    remote.inWork("push", "-q", "origin", "v1.0");
    remote.commit("later", "public/index.html", "<h1>v2</h1>");
    String url = remote.httpBackend("deploy", "s3cret-token");
    Path token = Files.writeString(dir.resolve("token"), "s3cret-token\n");
    Path wrong = Files.writeString(dir.resolve("wrong"), "nope");

    Syncer.Outcome refused = syncer(url, "v1.0", "public", new GitAccess("deploy", wrong)).sync(new Cancellation());
    Syncer.Outcome ok = syncer(url, "v1.0", "public", new GitAccess("deploy", token)).sync(new Cancellation());

    assertEquals(SyncFailure.Reason.STATUS, refused.reason(), refused.message());
    assertTrue(refused.message().contains("not authorized"), refused.message());
    assertEquals(Syncer.Result.PUBLISHED, ok.result(), ok.message());
    assertEquals("<h1>v1</h1>", read("index.html"), "the annotated tag's commit, its public/ folder only");
    assertFalse(Files.exists(target().resolve("README.md")));
  }

  @Test
  void ssh_keyAndKnownHosts_published_unknownHostKeyRefused() throws Exception {
    remote = GitRemote.create(dir.resolve("remote"));
    String c1 = remote.commit("one", "app.yaml", "over: ssh\n");
    try (GitSshServer ssh = GitSshServer.start(dir.resolve("remote"), dir.resolve("keys"))) {
      Path otherHost = GitSshServer.keygen(dir.resolve("keys/other"));
      Path wrongKnownHosts = Files.writeString(dir.resolve("keys/wrong_known_hosts"),
          "[127.0.0.1]:" + ssh.url("").replaceAll(".*:(\\d+)/.*", "$1") + " " + Files.readString(Path.of(otherHost + ".pub")));

      Syncer.Outcome refused = syncer(ssh.url("repo.git"), "main", "",
          new GitSshAccess(ssh.clientKey(), wrongKnownHosts, dir.resolve("ssh-home"))).sync(new Cancellation());
      Syncer.Outcome ok = syncer(ssh.url("repo.git"), "main", "",
          new GitSshAccess(ssh.clientKey(), ssh.knownHosts(), dir.resolve("ssh-home"))).sync(new Cancellation());

      assertEquals(Syncer.Result.FAILED, refused.result(), "a host key not in known_hosts is not trusted");
      assertTrue(refused.message().contains("Server key did not validate"), refused.message());
      assertEquals(Syncer.Result.PUBLISHED, ok.result(), ok.message());
      assertEquals(c1.substring(0, 12), ok.version());
      assertEquals("over: ssh\n", read("app.yaml"));
    }
  }

  @Test
  void fileUrl_fullCommitId_published() throws Exception {
    remote = GitRemote.create(dir.resolve("remote"));
    String c1 = remote.commit("one", "a.txt", "first");
    remote.commit("two", "a.txt", "second");

    Syncer.Outcome o = syncer(remote.fileUrl(), c1, "", anonymous()).sync(new Cancellation());

    assertEquals(Syncer.Result.PUBLISHED, o.result(), o.message());
    assertEquals("first", read("a.txt"));
  }

  @Test
  void symlinkInTheRepository_insideCopied_outwardRefusedAndLastGoodStays() throws Exception {
    remote = GitRemote.create(dir.resolve("remote"));
    remote.commit("one", "conf/real.conf", "real");
    remote.commitSymlink("conf/alias.conf", "real.conf");
    Syncer s = syncer(remote.fileUrl(), "main", "", anonymous());
    assertEquals(Syncer.Result.PUBLISHED, s.sync(new Cancellation()).result());
    assertEquals("real", read("conf/alias.conf"));

    remote.commitSymlink("conf/passwd", "../../../../etc/passwd");
    Syncer.Outcome o = s.sync(new Cancellation());

    assertEquals(SyncFailure.Reason.UNSAFE_PATH, o.reason(), o.message());
    assertEquals("real", read("conf/alias.conf"));
    assertFalse(Files.exists(target().resolve("conf/passwd")));
  }

  @Test
  void unknownBranchOrPath_failsWithTheReason() throws Exception {
    remote = GitRemote.create(dir.resolve("remote"));
    remote.commit("one", "a.txt", "a");

    Syncer.Outcome noBranch = syncer(remote.fileUrl(), "nope", "", anonymous()).sync(new Cancellation());
    Syncer.Outcome noPath = syncer(remote.fileUrl(), "main", "missing", anonymous()).sync(new Cancellation());

    assertTrue(noBranch.message().contains("no branch or tag 'nope'"), noBranch.message());
    assertTrue(noPath.message().contains("no folder 'missing'"), noPath.message());
  }
}
