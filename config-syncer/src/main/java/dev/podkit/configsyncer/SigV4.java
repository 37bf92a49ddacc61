package dev.podkit.configsyncer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for S3 requests without a body, as AWS documents it ("Authenticating
 * Requests: Using the Authorization Header"): a canonical request, a string to sign over its
 * hash, and an HMAC chain from the secret key over date, region and service. What S3-compatible
 * stores (MinIO, Ceph, s3proxy...) check too.
 */
final class SigV4 {
  /** The SHA-256 of an empty payload, the x-amz-content-sha256 of a GET. */
  static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Credentials: a key pair and, for temporary ones, a session token (else null). */
  record Credentials(String accessKey, String secretKey, String sessionToken) {}

  private SigV4() {}

  /**
   * The headers to send with a GET of {@code uri} at {@code now}: {@code x-amz-date},
   * {@code x-amz-content-sha256}, the session token if any, and {@code Authorization}. {@code extra}
   * are further headers to sign (lower-case names), sent by the caller as given.
   */
  static Map<String, String> sign(String method, URI uri, Map<String, String> extra, Credentials credentials,
      String region, Instant now) {
    String amzDate = AMZ_DATE.format(now);
    String day = amzDate.substring(0, 8);
    TreeMap<String, String> headers = new TreeMap<>();
    for (Map.Entry<String, String> e : extra.entrySet()) headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().strip());
    headers.put("host", hostHeader(uri));
    headers.put("x-amz-content-sha256", EMPTY_SHA256);
    headers.put("x-amz-date", amzDate);
    if (credentials.sessionToken() != null) headers.put("x-amz-security-token", credentials.sessionToken());
    StringBuilder canonicalHeaders = new StringBuilder();
    headers.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
    String signedHeaders = String.join(";", headers.keySet());
    String canonical = method + "\n" + encodePath(uri.getRawPath()) + "\n" + canonicalQuery(uri.getRawQuery()) + "\n"
        + canonicalHeaders + "\n" + signedHeaders + "\n" + EMPTY_SHA256;
    String scope = day + "/" + region + "/s3/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical));
    byte[] key = hmac(("AWS4" + credentials.secretKey()).getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, region);
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, toSign));
    Map<String, String> out = new TreeMap<>();
    out.put("x-amz-date", amzDate);
    out.put("x-amz-content-sha256", EMPTY_SHA256);
    if (credentials.sessionToken() != null) out.put("x-amz-security-token", credentials.sessionToken());
    out.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKey() + "/" + scope
        + ",SignedHeaders=" + signedHeaders + ",Signature=" + signature);
    return out;
  }

  /** The Host header the JDK sends: the port only when it is not the scheme's default. */
  static String hostHeader(URI uri) {
    int port = uri.getPort();
    boolean dflt = port == -1 || port == 80 && uri.getScheme().equals("http") || port == 443 && uri.getScheme().equals("https");
    return uri.getHost() + (dflt ? "" : ":" + port);
  }

  /** Percent-encodes a path for S3's canonical request: each segment once, slashes kept. */
  private static String encodePath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) return "/";
    StringBuilder b = new StringBuilder();
    for (String seg : rawPath.split("/", -1)) {
      if (!b.isEmpty() || rawPath.startsWith("/")) b.append('/');
      b.append(encode(decode(seg)));
    }
    return b.toString().replaceFirst("^//", "/");
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) return "";
    TreeMap<String, String> params = new TreeMap<>();
    for (String p : rawQuery.split("&")) {
      int eq = p.indexOf('=');
      String k = decode(eq < 0 ? p : p.substring(0, eq));
      String v = eq < 0 ? "" : decode(p.substring(eq + 1));
      params.put(encode(k), encode(v));
    }
    List<String> parts = new ArrayList<>();
    params.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join("&", parts);
  }

  /** RFC 3986 encoding of everything but the unreserved characters, as SigV4 wants. */
  static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return b.toString();
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static byte[] sha256(String s) {
    return TreeDigest.sha256().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
