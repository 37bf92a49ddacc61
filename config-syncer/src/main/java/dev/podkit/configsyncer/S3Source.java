package dev.podkit.configsyncer;

import dev.podkit.configsyncer.SyncFailure.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * An object or a prefix in an S3-compatible store (AWS S3, MinIO, Ceph, s3proxy...), signed with
 * SigV4 over {@link HttpURLConnection} (no SDK). An object ({@code s3://bucket/key}) is fetched as
 * an HTTP source is: conditional GET on its ETag (used as a change token only: it is not a content
 * hash for multipart or KMS objects), unpacked when it is an archive, checked against an expected
 * SHA-256. A prefix ({@code s3://bucket/prefix/}) is listed (ListObjectsV2, every page); when the
 * list of keys, ETags and sizes is the same as last time nothing is downloaded, else every object
 * is, under its name relative to the prefix. Credentials are read at every sync.
 */
final class S3Source implements Source {
  /**
   * Where the data is.
   *
   * @param endpoint the service URL, as {@code https://s3.eu-west-1.amazonaws.com} or {@code http://minio:9000}
   * @param pathStyle {@code endpoint/bucket/key} rather than {@code bucket.endpoint/key}
   * @param key an object key, or a prefix ending in {@code /} (empty: the whole bucket)
   */
  record Location(URI endpoint, boolean pathStyle, String region, String bucket, String key) {
    boolean prefix() {
      return key.isEmpty() || key.endsWith("/");
    }

    URI url(String objectKey, String query) {
      StringBuilder path = new StringBuilder();
      for (String seg : objectKey.split("/", -1)) path.append('/').append(SigV4.encode(seg));
      String p = objectKey.isEmpty() ? "/" : path.toString();
      String base = endpoint.toString().replaceAll("/+$", "");
      String q = query == null ? "" : "?" + query;
      if (pathStyle) return URI.create(base + "/" + bucket + (objectKey.isEmpty() ? "/" : p) + q);
      return URI.create(endpoint.getScheme() + "://" + bucket + "." + SigV4.hostHeader(endpoint) + p + q);
    }
  }

  /** Where credentials come from: files (a mounted Secret) if given, else the AWS_* variables. */
  record Keys(Path accessKeyFile, Path secretKeyFile, Map<String, String> env) {
    /** The credentials now, or null for anonymous requests. */
    SigV4.Credentials read() throws IOException {
      if (accessKeyFile != null) {
        return new SigV4.Credentials(Files.readString(accessKeyFile, StandardCharsets.UTF_8).strip(),
            Files.readString(secretKeyFile, StandardCharsets.UTF_8).strip(), env.get("AWS_SESSION_TOKEN"));
      }
      String id = env.get("AWS_ACCESS_KEY_ID");
      String secret = env.get("AWS_SECRET_ACCESS_KEY");
      return id == null || secret == null ? null : new SigV4.Credentials(id, secret, env.get("AWS_SESSION_TOKEN"));
    }
  }

  private final Location location;
  private final Keys keys;
  private final Connector connector;
  private final HttpSource object;
  private String lastListing;

  S3Source(Location location, Keys keys, Unpacker.Format format, String fileName, String sha256, Connector connector) {
    this.location = location;
    this.keys = keys;
    this.connector = connector;
    this.object = location.prefix() ? null
        : new HttpSource(location.url(location.key(), null), format, fileName, sha256, List.of(), null, connector, this::sign);
  }

  private Map<String, String> sign(URI uri) throws IOException {
    SigV4.Credentials c = keys.read();
    return c == null ? Map.of() : SigV4.sign("GET", uri, Map.of(), c, location.region(), Instant.now());
  }

  @Override
  public Fetch fetch(Staging staging) throws IOException, SyncFailure {
    if (object != null) return object.fetch(staging);
    Map<String, String[]> listing = list(staging.cancellation());
    String fingerprint = fingerprint(listing);
    if (fingerprint.equals(lastListing)) return new Unchanged();
    for (Map.Entry<String, String[]> e : listing.entrySet()) {
      String name = e.getKey().substring(location.key().length());
      if (name.isEmpty() || name.endsWith("/")) continue; // folder markers
      download(e.getKey(), name, Long.parseLong(e.getValue()[1]), staging);
    }
    lastListing = fingerprint;
    return new Fetched("s3:" + fingerprint.substring(0, 12));
  }

  /** Key -> {ETag, size} of every object under the prefix. */
  private Map<String, String[]> list(Cancellation cancellation) throws IOException, SyncFailure {
    Map<String, String[]> out = new TreeMap<>();
    String token = null;
    do {
      cancellation.check();
      String query = "list-type=2&prefix=" + SigV4.encode(location.key())
          + (token == null ? "" : "&continuation-token=" + SigV4.encode(token));
      Document doc = xml(get(location.url("", query), cancellation));
      NodeList contents = doc.getElementsByTagName("Contents");
      for (int i = 0; i < contents.getLength(); i++) {
        Element c = (Element) contents.item(i);
        out.put(text(c, "Key"), new String[] {text(c, "ETag"), text(c, "Size")});
      }
      token = "true".equals(text(doc.getDocumentElement(), "IsTruncated"))
          ? text(doc.getDocumentElement(), "NextContinuationToken") : null;
    } while (token != null && !token.isEmpty());
    return out;
  }

  private void download(String key, String name, long size, Staging staging) throws IOException, SyncFailure {
    HttpURLConnection c = open(location.url(key, null), staging.cancellation());
    try {
      int status = c.getResponseCode();
      if (status != 200) throw new SyncFailure(Reason.STATUS, "S3 status " + status + " for " + key);
      long got;
      try (CountingDigestStream body = new CountingDigestStream(c.getInputStream(), staging.limits().maxBytes())) {
        staging.file(name, body);
        got = body.count();
      } catch (CountingDigestStream.LimitExceeded e) {
        throw new SyncFailure(Reason.LIMIT, e.getMessage());
      }
      if (got != size) throw new SyncFailure(Reason.FETCH, key + " cut short: " + got + " of " + size + " bytes");
    } finally {
      c.disconnect();
    }
  }

  private byte[] get(URI uri, Cancellation cancellation) throws IOException, SyncFailure {
    HttpURLConnection c = open(uri, cancellation);
    try {
      int status = c.getResponseCode();
      if (status != 200) {
        String detail = "";
        try (InputStream err = c.getErrorStream()) {
          if (err != null) detail = code(new String(err.readNBytes(4096), StandardCharsets.UTF_8));
        }
        throw new SyncFailure(Reason.STATUS, "S3 status " + status + detail + " listing " + describe());
      }
      try (InputStream in = c.getInputStream()) {
        byte[] b = in.readNBytes(16 << 20);
        if (in.read() >= 0) throw new SyncFailure(Reason.LIMIT, "S3 listing page larger than 16 MiB");
        return b;
      }
    } finally {
      c.disconnect();
    }
  }

  /** A signed GET; a redirect to another origin is followed unsigned (the signature names the host). */
  private HttpURLConnection open(URI uri, Cancellation cancellation) throws IOException, SyncFailure {
    HttpURLConnection c = connector.get(uri, (conn, at, sameOrigin) -> {
      if (sameOrigin) sign(at).forEach(conn::setRequestProperty);
    }, cancellation);
    cancellation.onCancel(c::disconnect);
    return c;
  }

  private static Document xml(byte[] body) throws SyncFailure {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setNamespaceAware(false);
      return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(body));
    } catch (Exception e) {
      throw new SyncFailure(Reason.FORMAT, "S3 listing is not XML: " + e.getMessage());
    }
  }

  private static String text(Element parent, String tag) {
    NodeList l = parent.getElementsByTagName(tag);
    return l.getLength() == 0 ? null : l.item(0).getTextContent();
  }

  /** The S3 error code of an error body, as {@code " (AccessDenied)"}, or empty. */
  private static String code(String body) {
    int a = body.indexOf("<Code>");
    int b = body.indexOf("</Code>");
    return a >= 0 && b > a ? " (" + body.substring(a + 6, b) + ")" : "";
  }

  private static String fingerprint(Map<String, String[]> listing) {
    var sha = TreeDigest.sha256();
    listing.forEach((k, v) -> sha.update((k + "\0" + v[0] + "\0" + v[1] + "\n").getBytes(StandardCharsets.UTF_8)));
    return java.util.HexFormat.of().formatHex(sha.digest());
  }

  @Override
  public void forget() {
    lastListing = null;
    if (object != null) object.forget();
  }

  @Override
  public String describe() {
    return "s3://" + location.bucket() + "/" + location.key() + " at " + location.endpoint();
  }

  @SuppressWarnings("unused")
  private static List<String> names(Map<String, String[]> listing) {
    return new ArrayList<>(listing.keySet());
  }
}
