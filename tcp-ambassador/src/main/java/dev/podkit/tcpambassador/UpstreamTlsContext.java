package dev.podkit.tcpambassador;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The TLS client side of one route's upstream connections: trust (the runtime's roots or a CA
 * file), the client certificate for mutual TLS, SNI and host name verification (both on unless
 * turned off). Reloaded from its files when they change (see {@link ReloadingTls}).
 */
final class UpstreamTlsContext extends ReloadingTls {
  /** The role of the client certificate in the expiry metric. */
  static final String CLIENT = "upstream_client";
  /** The role of the trusted CA certificates in the expiry metric. */
  static final String CA = "upstream_ca";

  private final UpstreamTls settings;
  private final Duration handshakeTimeout;

  UpstreamTlsContext(String what, UpstreamTls settings, SslProvider provider, Duration handshakeTimeout) {
    super(what, List.of(new Source("TLS CA file", settings.caFile()), new Source("TLS certificate", settings.certFile()),
        new Source("TLS key", settings.keyFile())), provider);
    this.settings = settings;
    this.handshakeTimeout = handshakeTimeout;
  }

  @Override
  protected Loaded build(Map<Path, byte[]> contents, Map<Path, String> labels, List<String> problems) {
    int before = problems.size();
    Map<String, Long> expiry = new LinkedHashMap<>();
    SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider)
        .endpointIdentificationAlgorithm(settings.verify() ? "HTTPS" : null);
    if (!settings.verify()) {
      b.trustManager(InsecureTrustManagerFactory.INSTANCE);
    } else if (settings.caFile() != null) {
      List<X509Certificate> roots = certificates(settings.caFile(), contents, labels, problems);
      if (roots != null) {
        b.trustManager(roots.toArray(X509Certificate[]::new));
        expiry.put(CA, TlsFiles.notAfter(roots));
      }
    }
    if (settings.certFile() != null) {
      CertAndKey pair = certAndKey(settings.certFile(), settings.keyFile(), contents, labels, problems);
      if (pair != null) {
        b.keyManager(pair.key(), pair.chainArray());
        expiry.put(CLIENT, pair.notAfterEpochSeconds());
      }
    }
    if (problems.size() > before) {
      return null;
    }
    try {
      return new Loaded(b.build(), expiry);
    } catch (SSLException | RuntimeException e) {
      problems.add(labels.values().stream().findFirst().orElse("TLS") + ": cannot make a TLS context: " + e.getMessage());
      return null;
    }
  }

  /** A handler for a new connection to {@code address}; its name (if it has one) is the SNI and the name checked. */
  SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress address) {
    String name = settings.serverName() != null ? settings.serverName() : address.getHostString();
    SslHandler h = withContext(c -> c.newHandler(alloc, name, address.getPort()));
    h.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    if (!settings.sni()) {
      SSLEngine engine = h.engine();
      SSLParameters p = engine.getSSLParameters();
      p.setServerNames(List.of());
      engine.setSSLParameters(p);
    }
    return h;
  }
}
