package dev.podkit.tcpambassador;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The TLS client side of one route's upstream connections: trust (the runtime's roots or a CA
 * file), the client certificate for mutual TLS, SNI and host name verification (both on unless
 * turned off). BoringSSL (netty-tcnative) when it loads, else the JDK's engine.
 *
 * <p>The files are read again when their modification time changes ({@link #reloadIfChanged}):
 * new connections use the new certificate, open ones keep theirs.
 */
final class UpstreamTlsContext {
  private final UpstreamTls settings;
  private volatile SslContext context;
  private volatile long notAfterEpochSeconds;
  private List<FileTime> stamps;

  private UpstreamTlsContext(UpstreamTls settings) {
    this.settings = settings;
  }

  /** Builds the context; a problem (unreadable or bad PEM) goes to {@code problems}, and null is returned. */
  static UpstreamTlsContext create(UpstreamTls settings, String what, List<String> problems) {
    UpstreamTlsContext c = new UpstreamTlsContext(settings);
    try {
      c.load();
      return c;
    } catch (IOException | RuntimeException e) {
      problems.add(what + ": " + describe(e));
      return null;
    }
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    return (m == null ? e.getClass().getSimpleName() : m)
        + (root != e && root.getMessage() != null ? " (" + root.getMessage() + ")" : "");
  }

  /** Which TLS implementation is used. */
  static String provider() {
    return OpenSsl.isAvailable() ? "boringssl" : "jdk";
  }

  private void load() throws IOException {
    List<FileTime> now = stamps();
    SslContextBuilder b = SslContextBuilder.forClient()
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .endpointIdentificationAlgorithm(settings.verify() ? "HTTPS" : null);
    if (!settings.verify()) {
      b.trustManager(InsecureTrustManagerFactory.INSTANCE);
    } else if (settings.caFile() != null) {
      b.trustManager(settings.caFile().toFile());
    }
    long notAfter = 0;
    if (settings.certFile() != null) {
      Path key = settings.keyFile() != null ? settings.keyFile() : settings.certFile();
      b.keyManager(settings.certFile().toFile(), key.toFile());
      notAfter = notAfter(settings.certFile());
    }
    try {
      context = b.build();
    } catch (SSLException e) {
      throw new IOException("cannot load TLS files", e);
    }
    notAfterEpochSeconds = notAfter;
    stamps = now;
  }

  private static long notAfter(Path certFile) throws IOException {
    try {
      var certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certFile)));
      if (certs.isEmpty()) throw new IOException("no certificate in " + certFile);
      return ((X509Certificate) certs.iterator().next()).getNotAfter().toInstant().getEpochSecond();
    } catch (java.security.cert.CertificateException e) {
      throw new IOException("bad certificate in " + certFile, e);
    }
  }

  private List<FileTime> stamps() throws IOException {
    List<FileTime> t = new ArrayList<>();
    for (Path p : new Path[] {settings.caFile(), settings.certFile(), settings.keyFile()}) {
      t.add(p == null ? null : Files.getLastModifiedTime(p));
    }
    return t;
  }

  /**
   * Reads the files again if one changed since the last load; returns true when a new context
   * is in use. A file that is half written or bad keeps the old context (the exception says why).
   */
  synchronized boolean reloadIfChanged() throws IOException {
    if (stamps().equals(stamps)) {
      return false;
    }
    load();
    return true;
  }

  /** When the client certificate expires (epoch seconds), or 0 without one. */
  long notAfterEpochSeconds() {
    return notAfterEpochSeconds;
  }

  /** A handler for a new connection to {@code address}; its name (if it has one) is the SNI and the name checked. */
  SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress address) {
    String name = settings.serverName() != null ? settings.serverName() : address.getHostString();
    SslHandler h = context.newHandler(alloc, name, address.getPort());
    if (!settings.sni()) {
      SSLEngine engine = h.engine();
      SSLParameters p = engine.getSSLParameters();
      p.setServerNames(List.of());
      engine.setSSLParameters(p);
    }
    return h;
  }
}
