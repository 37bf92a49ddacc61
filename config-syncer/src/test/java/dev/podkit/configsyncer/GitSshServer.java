package dev.podkit.configsyncer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.git.GitLocationResolver;
import org.apache.sshd.git.pack.GitPackCommandFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;

/**
 * A real Git-over-SSH server on loopback: Apache MINA sshd serving upload-pack for the repositories
 * under a folder, with a host key and one authorized client key made by {@code ssh-keygen}, as a
 * Git host would have them.
 */
final class GitSshServer implements AutoCloseable {
  private final SshServer server;
  private final Path clientKey;
  private final Path knownHosts;

  private GitSshServer(SshServer server, Path clientKey, Path knownHosts) {
    this.server = server;
    this.clientKey = clientKey;
    this.knownHosts = knownHosts;
  }

  /** Serves the repositories under {@code root}; keys and known_hosts go in {@code keys}. */
  static GitSshServer start(Path root, Path keys) throws IOException, InterruptedException {
    Files.createDirectories(keys);
    Path hostKey = keygen(keys.resolve("host_key"));
    Path clientKey = keygen(keys.resolve("client_key"));
    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(new FileKeyPairProvider(hostKey));
    sshd.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(keys.resolve("client_key.pub")));
    sshd.setCommandFactory(new GitPackCommandFactory().withGitLocationResolver(GitLocationResolver.constantPath(root)));
    sshd.start();
    Path knownHosts = keys.resolve("known_hosts");
    Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.getPort() + " " + Files.readString(keys.resolve("host_key.pub")));
    return new GitSshServer(sshd, clientKey, knownHosts);
  }

  /** An ECDSA key pair without passphrase at {@code file} and {@code file.pub}. */
  static Path keygen(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "podkit-test",
        "-f", file.toString()).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
    }
    return file;
  }

  String url(String repo) {
    return "ssh://git@127.0.0.1:" + server.getPort() + "/" + repo;
  }

  Path clientKey() {
    return clientKey;
  }

  Path knownHosts() {
    return knownHosts;
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

}
