package dev.podkit.tcpambassador;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
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
    } else if (settings.caFile() != null && contents.containsKey(settings.caFile())) {
      Path ca = settings.caFile();
      try {
        List<X509Certificate> roots = TlsFiles.certificates(ca, contents.get(ca));
        b.trustManager(roots.toArray(X509Certificate[]::new));
        expiry.put(CA, TlsFiles.notAfter(roots));
      } catch (TlsFiles.Bad e) {
        problems.add(labels.get(ca) + " " + e.getMessage());
      }
    }
    if (settings.certFile() != null) {
      Path certFile = settings.certFile();
      Path keyFile = settings.keyFile() != null ? settings.keyFile() : certFile;
      List<X509Certificate> chain = null;
      PrivateKey key = null;
      try {
        if (contents.containsKey(certFile)) chain = TlsFiles.certificates(certFile, contents.get(certFile));
      } catch (TlsFiles.Bad e) {
        problems.add(labels.get(certFile) + " " + e.getMessage());
      }
      try {
        if (contents.containsKey(keyFile)) key = TlsFiles.key(keyFile, contents.get(keyFile));
        if (chain != null && key != null) TlsFiles.checkPair(chain.getFirst(), key, certFile, keyFile);
      } catch (TlsFiles.Bad e) {
        problems.add(labels.get(keyFile) + " " + e.getMessage());
      }
      if (chain != null && key != null) {
        b.keyManager(key, chain.toArray(X509Certificate[]::new));
        expiry.put(CLIENT, chain.getFirst().getNotAfter().toInstant().getEpochSecond());
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
    SslHandler h = context().newHandler(alloc, name, address.getPort());
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
