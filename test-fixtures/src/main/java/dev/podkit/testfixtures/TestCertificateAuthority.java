package dev.podkit.testfixtures;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority for TLS tests, made with the openssl command: it issues certificates
 * (EC P-256, valid two days) as the files a pod mounts from a Secret: {@code <name>.crt} (the
 * leaf then the CA, PEM) and {@code <name>.key} (PKCS#8 PEM), and builds JDK TLS contexts from
 * them for the test's own servers and clients.
 */
public final class TestCertificateAuthority {
  private static final String PASSWORD = "changeit";
  private final Path dir;
  private final Path keyFile;
  private final Path certificatePem;

  private TestCertificateAuthority(Path dir, Path keyFile, Path certificatePem) {
    this.dir = dir;
    this.keyFile = keyFile;
    this.certificatePem = certificatePem;
  }

  /** A new CA named {@code name}, its files in {@code dir}. */
  public static TestCertificateAuthority create(Path dir, String name) {
    Path key = dir.resolve(name + "-ca.key");
    Path pem = dir.resolve(name + "-ca.crt");
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", pem.toString(), "-days", "3", "-subj", "/CN=" + name,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return new TestCertificateAuthority(dir, key, pem);
  }

  /** The CA's certificate (PEM): what a peer trusts. */
  public Path certificatePem() {
    return certificatePem;
  }

  /** Issues a certificate for {@code cn}, valid for localhost and 127.0.0.1. */
  public Issued issue(String cn) {
    return issue(cn, "DNS:localhost,IP:127.0.0.1");
  }

  /** Issues a certificate for {@code cn} with the subject alternative names {@code san} (openssl syntax). */
  public Issued issue(String cn, String san) {
    Path key = dir.resolve(cn + ".key");
    Path csr = dir.resolve(cn + ".csr");
    Path leaf = dir.resolve(cn + ".leaf.pem");
    Path ext = dir.resolve(cn + ".ext");
    try {
      Files.writeString(ext, "subjectAltName=" + san + "\nbasicConstraints=critical,CA:FALSE\n"
          + "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n");
      openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
      openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", certificatePem.toString(), "-CAkey", keyFile.toString(),
          "-set_serial", String.valueOf(System.nanoTime() & Long.MAX_VALUE), "-days", "2", "-extfile", ext.toString(),
          "-out", leaf.toString());
      Path crt = dir.resolve(cn + ".crt");
      Files.writeString(crt, Files.readString(leaf).strip() + "\n" + Files.readString(certificatePem).strip() + "\n");
      return new Issued(cn, crt, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One issued certificate: its chain and key files. */
  public record Issued(String cn, Path certificatePem, Path keyPem) {
    /** The leaf certificate. */
    public X509Certificate certificate() {
      return readCertificates(certificatePem).getFirst();
    }

    /** A JDK TLS context presenting this certificate and trusting {@code trusted} (a CA PEM), or the JDK's roots when null. */
    public SSLContext context(Path trusted) {
      try {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        PrivateKey key = java.security.KeyFactory.getInstance("EC").generatePrivate(
            new java.security.spec.PKCS8EncodedKeySpec(readPem(keyPem)));
        keys.setKeyEntry("key", key, PASSWORD.toCharArray(),
            readCertificates(certificatePem).toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), trusted == null ? null : trustManagers(trusted), null);
        return c;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A JDK TLS client context trusting the certificates in {@code caPem}, without a client certificate. */
  public static SSLContext trusting(Path caPem) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, trustManagers(caPem), null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static javax.net.ssl.TrustManager[] trustManagers(Path caPem) throws GeneralSecurityException {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (X509Certificate c : readCertificates(caPem)) {
        trust.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      return tmf.getTrustManagers();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The certificates in a PEM file. */
  public static List<X509Certificate> readCertificates(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] readPem(Path pem) throws IOException {
    String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  private static void openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
