package dev.podkit.tcpambassador;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.List;

/** Which TLS implementation is asked for: BoringSSL (netty-tcnative) when it loads, else the JDK's engine. */
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
      case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          problems.add("--tls-provider openssl: BoringSSL does not load here ("
              + OpenSsl.unavailabilityCause().getMessage() + ")");
        }
        yield SslProvider.OPENSSL;
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
