package dev.podkit.tcpambassador;

import java.nio.file.Path;

/**
 * TLS towards an upstream (origination): the ambassador is the TLS client, the app speaks plain
 * TCP to localhost.
 *
 * @param verify whether the server's chain and name are checked (on unless turned off)
 * @param serverName the name sent as SNI and checked against the certificate; null means the
 *     upstream's host name
 * @param sni whether SNI is sent at all
 * @param caFile PEM certificates to trust instead of the runtime's roots, or null
 * @param certFile the client certificate chain (PEM) for mutual TLS, or null
 * @param keyFile the client certificate's key (PEM, PKCS#8); null with a cert means the key is
 *     in {@code certFile}
 */
record UpstreamTls(boolean verify, String serverName, boolean sni, Path caFile, Path certFile, Path keyFile) {
  /** Verification and SNI on, the runtime's roots, no client certificate. */
  static UpstreamTls defaults() {
    return new UpstreamTls(true, null, true, null, null, null);
  }
}
