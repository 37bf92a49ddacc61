package dev.podkit.tcpambassador;

import java.nio.file.Path;

/**
 * TLS on a route's listener (termination): clients speak TLS to the ambassador, the upstream
 * gets the plain bytes (or TLS of its own, see {@link UpstreamTls}).
 *
 * @param certFile the server certificate chain (PEM), the leaf first
 * @param keyFile its private key (PEM, PKCS#8); null means the key is in {@code certFile}
 * @param clientCaFile when set, every client must present a certificate issued by one of these
 *     (PEM) CA certificates; null means clients are not asked for one
 */
record ListenerTls(Path certFile, Path keyFile, Path clientCaFile) {}
