package dev.podkit.initwaiter;

import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) without channel binding.
 *
 * <ol>
 *   <li>{@link #clientFirst()} names the user and a fresh nonce;
 *   <li>{@link #clientFinal(String)} answers the server's salt, iteration count and nonce with
 *       the proof that we know the password;
 *   <li>{@link #serverFinalValid(String)} checks the server's signature, which proves the server
 *       knows the password too (it is not an impostor that accepts anyone).
 * </ol>
 *
 * One instance serves one exchange; the steps must be called in that order.
 */
final class ScramSha256 {
  static final String MECHANISM = "SCRAM-SHA-256";
  /** GS2 header "n,,": no channel binding, no authorization identity. */
  private static final String GS2_HEADER = "n,,";
  /** Far above any real server's (PostgreSQL uses 4096); bounds the work an impostor can cause. */
  private static final int MAX_ITERATIONS = 1_000_000;

  private final String user;
  private final byte[] password;
  private final String clientNonce;
  /** Set by {@link #clientFinal}; the server signature {@link #serverFinalValid} expects. */
  private byte[] expectedServerSignature;

  ScramSha256(String user, String password) {
    this(user, password, randomNonce());
  }

  ScramSha256(String user, String password, String clientNonce) {
    this.user = user;
    this.password = normalize(password).getBytes(StandardCharsets.UTF_8);
    this.clientNonce = clientNonce;
  }

  /** (1) The client-first-message, GS2 header included. */
  String clientFirst() {
    return GS2_HEADER + clientFirstBare();
  }

  /** (2) The client-final-message for {@code serverFirst} ("r=...,s=...,i=..."). */
  String clientFinal(String serverFirst) throws ProtocolException {
    String nonce = attribute(serverFirst, 'r');
    if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
      throw new ProtocolException("scram: server nonce does not extend ours");
    }
    byte[] salt;
    int iterations;
    try {
      salt = Base64.getDecoder().decode(attribute(serverFirst, 's'));
      iterations = Integer.parseInt(attribute(serverFirst, 'i'));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("scram: bad salt or iteration count");
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new ProtocolException("scram: iteration count " + iterations);
    }
    String withoutProof = "c=" + base64(GS2_HEADER.getBytes(StandardCharsets.US_ASCII))
        + ",r=" + nonce;
    byte[] authMessage = (clientFirstBare() + "," + serverFirst + "," + withoutProof)
        .getBytes(StandardCharsets.UTF_8);
    byte[] salted = hi(salt, iterations);
    byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
    byte[] storedKey = sha256(clientKey);
    byte[] proof = hmac(storedKey, authMessage);
    for (int i = 0; i < proof.length; i++) {
      proof[i] ^= clientKey[i];
    }
    byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
    expectedServerSignature = hmac(serverKey, authMessage);
    return withoutProof + ",p=" + base64(proof);
  }

  /** (3) Whether {@code serverFinal} ("v=...") carries the signature only the server can make. */
  boolean serverFinalValid(String serverFinal) throws ProtocolException {
    if (expectedServerSignature == null) {
      throw new IllegalStateException("clientFinal not called");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(attribute(serverFinal, 'v'));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("scram: bad server signature");
    }
    return MessageDigest.isEqual(expectedServerSignature, signature);
  }

  private String clientFirstBare() {
    // RFC 5802 saslname: ',' and '=' are escaped so they cannot end the attribute.
    return "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
  }

  /** The value of attribute {@code name} in a message of comma-separated "a=value" pairs. */
  private static String attribute(String message, char name) throws ProtocolException {
    for (String part : message.split(",")) {
      if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
        return part.substring(2);
      }
    }
    throw new ProtocolException("scram: no '" + name + "' in server message");
  }

  /** Hi() of RFC 5802: PBKDF2 with HMAC-SHA-256 and one output block. */
  private byte[] hi(byte[] salt, int iterations) {
    byte[] block = new byte[salt.length + 4];
    System.arraycopy(salt, 0, block, 0, salt.length);
    block[block.length - 1] = 1;
    Mac mac = mac(password);
    byte[] u = mac.doFinal(block);
    byte[] result = u.clone();
    for (int i = 1; i < iterations; i++) {
      u = mac.doFinal(u);
      for (int j = 0; j < result.length; j++) {
        result[j] ^= u[j];
      }
    }
    return result;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    return mac(key).doFinal(data);
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // HMAC pads keys with zeros, so one zero byte stands for the empty key SecretKeySpec refuses.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e); // every JDK must have it
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /**
   * Most of SASLprep (RFC 4013), as PostgreSQL applies it to the password: ASCII passwords are
   * unchanged; otherwise non-ASCII spaces become spaces, invisible characters are dropped and
   * the result is NFKC-normalized. The prohibited-character and bidi checks are left out, so a
   * password the server rejects as SASLprep input (it then hashes the raw bytes) may not match.
   */
  private static String normalize(String password) {
    if (password.chars().allMatch(c -> c < 0x80)) {
      return password;
    }
    String mapped = password
        .replaceAll("[\\u00A0\\u1680\\u2000-\\u200B\\u202F\\u205F\\u3000]", " ")
        .replaceAll("[\\u00AD\\u034F\\u1806\\u180B-\\u180D\\u200C\\u200D\\u2060\\uFE00-\\uFE0F"
            + "\\uFEFF]", "");
    return Normalizer.normalize(mapped, Normalizer.Form.NFKC);
  }

  private static String randomNonce() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return base64(b);
  }

  private static String base64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
