package dev.podkit.tcpambassador;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * The TLS server side of one route's listener: the certificate and key it presents and, when a
 * client CA is given, the check of every client's certificate. Reloaded from its files when they
 * change (see {@link ReloadingTls}).
 */
final class ListenerTlsContext extends ReloadingTls {
  /** The role of the server certificate in the expiry metric. */
  static final String SERVER = "listener";
  /** The role of the client CA certificates in the expiry metric. */
  static final String CLIENT_CA = "listener_client_ca";

  private final ListenerTls settings;
  private final Duration handshakeTimeout;

  ListenerTlsContext(String what, ListenerTls settings, SslProvider provider, Duration handshakeTimeout) {
    super(what, List.of(new Source("listener TLS certificate", settings.certFile()),
        new Source("listener TLS key", settings.keyFile()),
        new Source("listener TLS client CA file", settings.clientCaFile())), provider);
    this.settings = settings;
    this.handshakeTimeout = handshakeTimeout;
  }

  @Override
  protected Loaded build(Map<Path, byte[]> contents, Map<Path, String> labels, List<String> problems) {
    int before = problems.size();
    Map<String, Long> expiry = new LinkedHashMap<>();
    Path certFile = settings.certFile();
    CertAndKey pair = certAndKey(certFile, settings.keyFile(), contents, labels, problems);
    if (pair != null) {
      expiry.put(SERVER, pair.notAfterEpochSeconds());
    }
    List<X509Certificate> clientCas = settings.clientCaFile() == null ? null
        : certificates(settings.clientCaFile(), contents, labels, problems);
    if (clientCas != null) {
      expiry.put(CLIENT_CA, TlsFiles.notAfter(clientCas));
    }
    if (problems.size() > before || pair == null) {
      return null;
    }
    SslContextBuilder b = SslContextBuilder.forServer(pair.key(), pair.chainArray()).sslProvider(provider);
    if (clientCas != null) {
      b.trustManager(clientCas.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.REQUIRE);
    }
    try {
      return new Loaded(b.build(), expiry);
    } catch (SSLException | RuntimeException e) {
      problems.add(labels.get(certFile) + ": cannot make a TLS context: " + e.getMessage());
      return null;
    }
  }

  /** A handler for a newly accepted client connection. */
  SslHandler newHandler(ByteBufAllocator alloc) {
    SslHandler h = withContext(c -> c.newHandler(alloc));
    h.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    return h;
  }
}
