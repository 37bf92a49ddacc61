package dev.podkit.testfixtures;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code localhost} and 127.0.0.1, made with the JDK's keytool:
 * a PKCS#12 key store for servers and the certificate in PEM for clients' CA files.
 */
public final class SelfSignedCertificate {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private final Path keyStore;
  private final Path certificatePem;

  private SelfSignedCertificate(Path keyStore, Path certificatePem) {
    this.keyStore = keyStore;
    this.certificatePem = certificatePem;
  }

  /** Creates the files in {@code dir}; {@code cn} names the certificate, valid for localhost and 127.0.0.1. */
  public static SelfSignedCertificate create(Path dir, String cn) {
    return create(dir, cn, "dns:localhost,ip:127.0.0.1");
  }

  /** Creates the files in {@code dir}, with the subject alternative names {@code san} (keytool syntax). */
  public static SelfSignedCertificate create(Path dir, String cn, String san) {
    Path ks = dir.resolve(cn + ".p12");
    Path pem = dir.resolve(cn + ".pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + cn, "-ext", "SAN=" + san, "-validity", "2",
        "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", new String(PASSWORD)));
    run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", ks.toString(),
        "-storepass", new String(PASSWORD), "-file", pem.toString()));
    return new SelfSignedCertificate(ks, pem);
  }

  /** The certificate, PEM-encoded: what a client trusts. */
  public Path certificatePem() {
    return certificatePem;
  }

  /** A server-side TLS context presenting this certificate. */
  public SSLContext serverContext() {
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
