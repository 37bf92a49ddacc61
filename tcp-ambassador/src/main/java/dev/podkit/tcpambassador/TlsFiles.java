package dev.podkit.tcpambassador;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and PKCS#8 keys the way a pod mounts them from a Secret, with a precise
 * message per problem (missing, not PEM, no certificate, a key in another format, a key that
 * does not belong to the certificate). Each method throws {@link Bad} with that message.
 */
final class TlsFiles {
  private static final Pattern KEY = Pattern.compile(
      "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

  /** A file that cannot be used; the message names the file and the reason. */
  static final class Bad extends Exception {
    Bad(String message) {
      super(message, null, false, false);
    }
  }

  private TlsFiles() {}

  /** The certificates in {@code file}, at least one. */
  static List<X509Certificate> certificates(Path file, byte[] content) throws Bad {
    if (!new String(content, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      throw new Bad(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
    }
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(content))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) throw new Bad(file + ": no certificate in it");
      return out;
    } catch (CertificateException e) {
      throw new Bad(file + ": not a valid PEM certificate (" + e.getMessage() + ")");
    }
  }

  /** The private key in {@code file} (PEM, PKCS#8, RSA or EC or Ed25519). */
  static PrivateKey key(Path file, byte[] content) throws Bad {
    Matcher m = KEY.matcher(new String(content, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new Bad(file + ": no PEM private key (-----BEGIN PRIVATE KEY-----) in it");
    }
    String kind = m.group(1).strip();
    if (!kind.isEmpty()) {
      throw new Bad(file + ": the key is " + kind + " PRIVATE KEY; want PKCS#8 (BEGIN PRIVATE KEY), as from "
          + "'openssl pkcs8 -topk8 -nocrypt'" + (kind.equals("ENCRYPTED") ? " (keys with a passphrase are not supported)" : ""));
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new Bad(file + ": the key's base64 is damaged");
    }
    for (String algorithm : List.of("EC", "RSA", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // the next algorithm
      }
    }
    throw new Bad(file + ": not a valid PKCS#8 private key (EC, RSA or Ed25519)");
  }

  /** Checks that {@code key} belongs to {@code certificate}: signs with one, verifies with the other. */
  static void checkPair(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) throws Bad {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return;
    }
    try {
      byte[] probe = "podkit key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(certificate.getPublicKey());
      v.update(probe);
      if (v.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // a key of another type than the certificate's: reported below
    }
    throw new Bad(keyFile + ": this key does not belong to the certificate in " + certFile);
  }

  /** The file's bytes; a missing or unreadable file is {@link Bad}. */
  static byte[] read(Path file) throws Bad {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new Bad(file + ": no such file");
    } catch (IOException e) {
      throw new Bad(file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** The earliest end of validity among {@code certificates}, in seconds since the epoch. */
  static long notAfter(List<X509Certificate> certificates) {
    long min = Long.MAX_VALUE;
    for (X509Certificate c : certificates) {
      min = Math.min(min, c.getNotAfter().toInstant().getEpochSecond());
    }
    return min;
  }
}
