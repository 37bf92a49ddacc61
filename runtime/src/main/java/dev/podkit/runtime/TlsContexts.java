package dev.podkit.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the TLS socket factories of https connections (init-waiter's targets, config-syncer's
 * origins, S3 endpoints and webhooks): the runtime's roots, a CA file, or none.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * A factory that trusts {@code caFile}'s certificates (or the runtime's roots when null), or
   * trusts anything when {@code insecure}.
   *
   * @throws IllegalArgumentException with a message for users when the CA file is unusable
   */
  public static SSLSocketFactory socketFactory(Path caFile, boolean insecure) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      TrustManager[] trust;
      if (insecure) {
        trust = new TrustManager[] {new TrustAll()};
      } else if (caFile != null) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        try (InputStream in = Files.newInputStream(caFile)) {
          for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            store.setCertificateEntry("ca-" + n++, c);
          }
        }
        if (n == 0) {
          throw new IllegalArgumentException("no certificate in CA file " + caFile);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        trust = tmf.getTrustManagers();
      } else {
        trust = null;
      }
      context.init(null, trust, null);
      return context.getSocketFactory();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read CA file " + caFile + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("bad CA file " + caFile + ": " + e.getMessage());
    }
  }

  /** Accepts every certificate: only ever used behind the explicit insecure option. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
