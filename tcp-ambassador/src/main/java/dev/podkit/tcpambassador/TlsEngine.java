package dev.podkit.tcpambassador;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.List;

/**
 * Which TLS implementation is asked for: BoringSSL (netty-tcnative) when it loads, else the JDK's engine.
 *
 * <p>BoringSSL is used through Netty's reference-counted engines and contexts: an engine's native
 * memory is freed when its connection closes (the SslHandler releases it), and no engine has a
 * finalizer. Netty's other BoringSSL provider gives every engine one, so each closed connection's
 * engine outlived the young generation waiting for the finalizer thread: under a stream of
 * handshakes the heap grew by ~6 MB for every 10,000 and stayed grown (bench/tcp-ambassador/tuning.md).
 */
enum TlsEngine {
  /** BoringSSL when its native library loads here, else the JDK. */
  AUTO,
  /** BoringSSL; a configuration error when it does not load. */
  OPENSSL,
  /** The JDK's engine. */
  JDK;

  /** The provider to use; a problem is added (and the JDK returned) when OPENSSL was asked and does not load. */
  SslProvider resolve(List<String> problems) {
    return switch (this) {
      case JDK -> SslProvider.JDK;
      case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK;
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          problems.add("--tls-provider openssl: BoringSSL does not load here ("
              + OpenSsl.unavailabilityCause().getMessage() + ")");
        }
        yield SslProvider.OPENSSL_REFCNT;
      }
    };
  }

  /** The provider's name in logs: {@code boringssl} or {@code jdk}. */
  static String label(SslProvider p) {
    return p == SslProvider.JDK ? "jdk" : "boringssl";
  }

  /** Why BoringSSL does not load, or null when it does. */
  static String unavailability() {
    Throwable t = OpenSsl.unavailabilityCause();
    return t == null ? null : String.valueOf(t.getMessage());
  }
}
