package dev.podkit.tcpambassador;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.PrivateKey;
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
    Path keyFile = settings.keyFile() != null ? settings.keyFile() : certFile;
    List<X509Certificate> chain = null;
    PrivateKey key = null;
    try {
      if (contents.containsKey(certFile)) {
        chain = TlsFiles.certificates(certFile, contents.get(certFile));
        expiry.put(SERVER, chain.getFirst().getNotAfter().toInstant().getEpochSecond());
      }
    } catch (TlsFiles.Bad e) {
      problems.add(labels.get(certFile) + " " + e.getMessage());
    }
    try {
      if (contents.containsKey(keyFile)) key = TlsFiles.key(keyFile, contents.get(keyFile));
      if (chain != null && key != null) TlsFiles.checkPair(chain.getFirst(), key, certFile, keyFile);
    } catch (TlsFiles.Bad e) {
      problems.add(labels.get(keyFile) + " " + e.getMessage());
    }
    List<X509Certificate> clientCas = null;
    if (settings.clientCaFile() != null && contents.containsKey(settings.clientCaFile())) {
      Path ca = settings.clientCaFile();
      try {
        clientCas = TlsFiles.certificates(ca, contents.get(ca));
        expiry.put(CLIENT_CA, TlsFiles.notAfter(clientCas));
      } catch (TlsFiles.Bad e) {
        problems.add(labels.get(ca) + " " + e.getMessage());
      }
    }
    if (problems.size() > before || chain == null || key == null) {
      return null;
    }
    SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new)).sslProvider(provider);
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
    SslHandler h = context().newHandler(alloc);
    h.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    return h;
  }
}
