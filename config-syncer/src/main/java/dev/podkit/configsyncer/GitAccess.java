package dev.podkit.configsyncer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Credentials for a Git remote over HTTPS: a user name and a token (a GitHub or GitLab token, a
 * password) read from a file at every fetch, so a Secret rotated under the syncer is picked up.
 * No token: anonymous.
 */
final class GitAccess implements GitSource.Access {
  private final String username;
  private final Path tokenFile;

  GitAccess(String username, Path tokenFile) {
    this.username = username;
    this.tokenFile = tokenFile;
  }

  @Override
  public void credentials(TransportCommand<?, ?> command) throws IOException {
    if (tokenFile != null) {
      String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(username, token));
    }
  }

  @Override
  public void configure(Transport transport) {
    // HTTPS and git:// need nothing beyond the credentials provider.
  }
}
