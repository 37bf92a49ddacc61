package dev.podkit.configsyncer;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Git over SSH with JGit's Apache MINA client: one private key (a mounted Secret, read at each
 * connection) and a known_hosts file the server's key must be in. Nothing is read from or written
 * to a home folder: no ~/.ssh/config, no agent, no learning of new host keys, so an unknown or
 * changed host key fails the sync instead of being trusted.
 */
final class GitSshAccess implements GitSource.Access {
  private final SshdSessionFactory factory;

  GitSshAccess(Path keyFile, Path knownHostsFile, Path home) {
    this.factory = new SshdSessionFactoryBuilder()
        .setHomeDirectory(home.toFile())
        .setSshDirectory(home.toFile())
        .setDefaultIdentities(dir -> List.of(keyFile))
        .setDefaultKnownHostsFiles(dir -> List.of(knownHostsFile))
        .setConfigStoreFactory((homeDir, configFile, user) -> null)
        .build(null);
  }

  @Override
  public void credentials(TransportCommand<?, ?> command) {
    // The key is the credential; no password or passphrase prompts.
  }

  @Override
  public void configure(Transport transport) {
    if (transport instanceof SshTransport ssh) {
      ssh.setSshSessionFactory(factory);
    }
  }
}
