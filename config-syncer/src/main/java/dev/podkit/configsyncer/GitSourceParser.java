package dev.podkit.configsyncer;

import dev.podkit.runtime.Options;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a git {@code --source} and the git options into a {@link GitSource}. Apart from
 * {@link SourceParser} so that the classes of JGit (whose jar is signed, and verified with a
 * few hundred classes of the JDK's security code when it is first opened) are loaded only when a
 * git source is configured: the return type is {@link Source}, so the caller's verification needs
 * none of them.
 */
final class GitSourceParser {
  private GitSourceParser() {}

  static Source parse(URI u, Path target, Options.Parsed p, List<String> problems) {
    String scheme = u.getScheme();
    // git+https://host/repo.git is fetched as https://host/repo.git; git:// and ssh:// as they are.
    String url = scheme.startsWith("git+") ? u.toString().substring(4) : u.toString();
    boolean ssh = scheme.equals("git+ssh") || scheme.equals("ssh");
    Path key = SourceParser.readableFile(p.get(SyncerConfig.GIT_SSH_KEY_FILE), "--git-ssh-key-file", problems);
    Path knownHosts = SourceParser.readableFile(p.get(SyncerConfig.GIT_KNOWN_HOSTS_FILE), "--git-known-hosts-file", problems);
    if (ssh && (key == null || knownHosts == null)) {
      problems.add("--source: git over SSH needs --git-ssh-key-file and --git-known-hosts-file: " + u);
    }
    String subPath = p.get(SyncerConfig.GIT_PATH).strip();
    while (subPath.endsWith("/")) subPath = subPath.substring(0, subPath.length() - 1);
    if (!subPath.isEmpty()) {
      try {
        RelativePaths.check(subPath);
      } catch (IllegalArgumentException e) {
        problems.add("--git-path: " + e.getMessage());
      }
    }
    String ref = p.get(SyncerConfig.GIT_REF).strip();
    if (ref.isEmpty()) problems.add("--git-ref: empty");
    Path token = SourceParser.readableFile(p.get(SyncerConfig.GIT_TOKEN_FILE), "--git-token-file", problems);
    Path repoDir = p.get(SyncerConfig.GIT_REPO_DIR).isEmpty() ? target.resolve("..git") : Path.of(p.get(SyncerConfig.GIT_REPO_DIR));
    GitSource.Access access = ssh && key != null && knownHosts != null ? new GitSshAccess(key, knownHosts, repoDir)
        : new GitAccess(p.get(SyncerConfig.GIT_USERNAME), token);
    return new GitSource(url, ref, subPath, p.get(SyncerConfig.GIT_DEPTH), repoDir, access,
        p.get(SyncerConfig.REQUEST_TIMEOUT));
  }
}
