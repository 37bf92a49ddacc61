package dev.podkit.testfixtures;

import java.io.ByteArrayInputStream;
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
 * A certificate authority for TLS tests, made with the JDK's keytool: it issues certificates
 * (EC P-256, valid two days) as the files a pod mounts from a Secret: {@code <name>.crt} (the
 * leaf then the CA, PEM) and {@code <name>.key} (PKCS#8 PEM), and builds JDK TLS contexts from
 * them for the test's own servers and clients.
 */
public final class TestCertificateAuthority {
  private static final String PASSWORD = "changeit";
  private final Path dir;
  private final Path keyStore;
  private final Path certificatePem;

  private TestCertificateAuthority(Path dir, Path keyStore, Path certificatePem) {
    this.dir = dir;
    this.keyStore = keyStore;
    this.certificatePem = certificatePem;
  }

  /** A new CA named {@code name}, its files in {@code dir}. */
  public static TestCertificateAuthority create(Path dir, String name) {
    Path ks = dir.resolve(name + "-ca.p12");
    Path pem = dir.resolve(name + "-ca.crt");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "bc:c", "-ext", "KeyUsage=keyCertSign,cRLSign", "-validity", "3", "-storetype", "PKCS12",
        "-keystore", ks.toString(), "-storepass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ks.toString(), "-storepass", PASSWORD,
        "-file", pem.toString());
    return new TestCertificateAuthority(dir, ks, pem);
  }

  /** The CA's certificate (PEM): what a peer trusts. */
  public Path certificatePem() {
    return certificatePem;
  }

  /** Issues a certificate for {@code cn}, valid for localhost and 127.0.0.1. */
  public Issued issue(String cn) {
    return issue(cn, "dns:localhost,ip:127.0.0.1");
  }

  /** Issues a certificate for {@code cn} with the subject alternative names {@code san} (keytool syntax). */
  public Issued issue(String cn, String san) {
    Path ks = dir.resolve(cn + ".p12");
    Path csr = dir.resolve(cn + ".csr");
    Path leaf = dir.resolve(cn + ".leaf.pem");
    keytool("-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
        "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", PASSWORD);
    keytool("-certreq", "-alias", "key", "-keystore", ks.toString(), "-storepass", PASSWORD, "-file", csr.toString());
    keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
        "-infile", csr.toString(), "-outfile", leaf.toString(), "-validity", "2", "-ext", "SAN=" + san);
    try {
      PrivateKey key = (PrivateKey) load(ks).getKey("key", PASSWORD.toCharArray());
      Path crt = dir.resolve(cn + ".crt");
      Path keyPem = dir.resolve(cn + ".key");
      Files.writeString(crt, Files.readString(leaf).strip() + "\n" + Files.readString(certificatePem).strip() + "\n");
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
      return new Issued(cn, crt, keyPem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
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

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static KeyStore load(Path ks) throws IOException, GeneralSecurityException {
    KeyStore s = KeyStore.getInstance("PKCS12");
    try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(ks))) {
      s.load(in, PASSWORD.toCharArray());
    }
    return s;
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
