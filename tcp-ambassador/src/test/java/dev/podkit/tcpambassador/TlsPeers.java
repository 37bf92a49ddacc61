package dev.podkit.tcpambassador;

import dev.podkit.testfixtures.TcpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/** The tests' own TLS peers, on the JDK's engine: an upstream that echoes and a client. */
final class TlsPeers {
  /** A TLS record header and the start of a ClientHello that says 512 bytes follow: half a handshake. */
  static final byte[] PARTIAL_CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};

  private TlsPeers() {}

  /**
   * A TLS upstream on loopback that echoes; per handshake it adds to {@code seen} what it saw,
   * as {@code "sni=localhost cn=client-a"} ({@code -} when absent).
   */
  static TcpServer echo(SSLContext context, boolean needClientCertificate, List<String> seen) {
    return TcpServer.start(s -> {
      SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(s, null, true);
      tls.setUseClientMode(false);
      tls.setNeedClientAuth(needClientCertificate);
      tls.startHandshake();
      ExtendedSSLSession session = (ExtendedSSLSession) tls.getSession();
      String sni = session.getRequestedServerNames().stream()
          .map(n -> ((SNIHostName) n).getAsciiName()).findFirst().orElse("-");
      String cn = "-";
      try {
        cn = commonName((X509Certificate) session.getPeerCertificates()[0]);
      } catch (SSLPeerUnverifiedException e) {
        // no client certificate
      }
      seen.add("sni=" + sni + " cn=" + cn);
      tls.getInputStream().transferTo(tls.getOutputStream());
      tls.shutdownOutput();
    });
  }

  /** A TLS client connected to {@code address}, checking the server's name (127.0.0.1) and chain. */
  static SSLSocket connect(SSLContext context, InetSocketAddress address) {
    try {
      SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
      SSLParameters p = s.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      s.setSSLParameters(p);
      s.setSoTimeout(10_000);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CN of a certificate's subject. */
  static String commonName(X509Certificate c) {
    String dn = c.getSubjectX500Principal().getName();
    for (String part : dn.split(",")) {
      if (part.startsWith("CN=")) return part.substring(3);
    }
    return dn;
  }

  /** Writes {@code text}, ends the sending side, returns everything read back. */
  static String roundTrip(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    s.shutdownOutput();
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
  }

  /** Writes one line and reads as many bytes back (an echo), leaving the connection open. */
  static String ping(Socket s, String line) throws IOException {
    byte[] out = (line + "\n").getBytes(StandardCharsets.US_ASCII);
    s.getOutputStream().write(out);
    s.getOutputStream().flush();
    byte[] in = s.getInputStream().readNBytes(out.length);
    return new String(in, StandardCharsets.US_ASCII).strip();
  }

  static InetAddress loopback() {
    return InetAddress.getLoopbackAddress();
  }
}
