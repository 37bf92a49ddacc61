package dev.podkit.configsyncer;

import dev.podkit.runtime.Options;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * Turns {@code --source} values and the source options into a {@link Source}, reporting every
 * problem: the kind is chosen by the URL's scheme.
 */
final class SourceParser {
  private SourceParser() {}

  /** {@code tls}: the https socket factory of {@code --ca-file}, or null for the runtime's roots. */
  static Source parse(List<String> specs, Path target, Options.Parsed p, Map<String, String> env,
      SSLSocketFactory tls, List<String> problems) {
    List<Path> folders = new ArrayList<>();
    List<URI> others = new ArrayList<>();
    for (String s : specs) {
      URI u = uri(s, "--source", problems);
      if (u == null) continue;
      String scheme = String.valueOf(u.getScheme());
      if (scheme.equals("dir") || scheme.equals("file")) {
        if (u.getPath() == null || !u.getPath().startsWith("/")) {
          problems.add("--source: a folder needs an absolute path, as in dir:///etc/config: " + s);
        } else {
          folders.add(Path.of(u.getPath()));
        }
      } else {
        others.add(u);
      }
    }
    if (!others.isEmpty() && !folders.isEmpty() || others.size() > 1) {
      problems.add("--source: only local folders (dir:///...) can be merged; give one other source: " + specs);
      return null;
    }
    if (!folders.isEmpty()) return new DirectorySource(folders);
    if (others.isEmpty()) return null;
    URI u = others.getFirst();
    String scheme = String.valueOf(u.getScheme());
    return switch (scheme) {
      case "http", "https" -> http(u, p, tls, problems);
      case "s3" -> s3(u, p, env, tls, problems);
      // In a class of its own: JGit (a signed jar, verified when first opened) is loaded only for git sources.
      case "git", "git+https", "git+http", "git+ssh", "ssh", "git+file" -> {
        if (tls != null) problems.add("--ca-file applies to http(s) and s3 sources and the webhook, not to git: " + u);
        yield GitSourceParser.parse(u, target, p, problems);
      }
      default -> {
        problems.add("--source: unknown kind '" + scheme + "' (http, https, git+https, git+ssh, git+file, s3, dir): "
            + u);
        yield null;
      }
    };
  }

  private static Source http(URI u, Options.Parsed p, SSLSocketFactory tls, List<String> problems) {
    if (u.getHost() == null) problems.add("--source: no host in " + u);
    String sha = p.get(SyncerConfig.SHA256).strip().toLowerCase(java.util.Locale.ROOT);
    if (!sha.isEmpty()) {
      try {
        if (HexFormat.of().parseHex(sha).length != 32) throw new IllegalArgumentException();
      } catch (IllegalArgumentException e) {
        problems.add("--sha256: not 64 hex digits: " + sha);
      }
    }
    List<HttpSource.Header> headers = new ArrayList<>();
    for (String h : p.all(SyncerConfig.HTTP_HEADER)) {
      int eq = h.indexOf('=');
      if (eq <= 0) {
        problems.add("--http-header: not NAME=VALUE: " + h);
      } else {
        headers.add(new HttpSource.Header(h.substring(0, eq).strip(), h.substring(eq + 1).strip()));
      }
    }
    Path token = readableFile(p.get(SyncerConfig.BEARER_TOKEN_FILE), "--bearer-token-file", problems);
    String name = p.get(SyncerConfig.FILE_NAME).isEmpty() ? HttpSource.defaultFileName(u) : p.get(SyncerConfig.FILE_NAME);
    try {
      RelativePaths.check(name);
    } catch (IllegalArgumentException e) {
      problems.add("--file-name: " + e.getMessage());
    }
    return new HttpSource(u, p.get(SyncerConfig.ARCHIVE), name, sha.isEmpty() ? null : sha, headers, token,
        new Connector(tls, p.get(SyncerConfig.REQUEST_TIMEOUT)), null);
  }

  private static Source s3(URI u, Options.Parsed p, Map<String, String> env, SSLSocketFactory tls,
      List<String> problems) {
    String bucket = u.getHost();
    if (bucket == null || bucket.isEmpty()) {
      problems.add("--source: no bucket in " + u + " (s3://BUCKET/KEY or s3://BUCKET/PREFIX/)");
      return null;
    }
    String key = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
    String region = !p.get(SyncerConfig.S3_REGION).isEmpty() ? p.get(SyncerConfig.S3_REGION)
        : env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
    boolean custom = !p.get(SyncerConfig.S3_ENDPOINT).isEmpty();
    URI endpoint = custom ? uri(p.get(SyncerConfig.S3_ENDPOINT), "--s3-endpoint", problems)
        : URI.create("https://s3." + region + ".amazonaws.com");
    Path access = readableFile(p.get(SyncerConfig.S3_ACCESS_KEY_FILE), "--s3-access-key-file", problems);
    Path secret = readableFile(p.get(SyncerConfig.S3_SECRET_KEY_FILE), "--s3-secret-key-file", problems);
    if ((access == null) != (secret == null)) {
      problems.add("--s3-access-key-file and --s3-secret-key-file go together");
    }
    if (endpoint == null) return null;
    String last = key.substring(key.lastIndexOf('/') + 1);
    String name = !p.get(SyncerConfig.FILE_NAME).isEmpty() ? p.get(SyncerConfig.FILE_NAME)
        : last.isEmpty() || last.startsWith("..") ? "index.html" : last;
    String sha = p.get(SyncerConfig.SHA256).strip().toLowerCase(java.util.Locale.ROOT);
    return new S3Source(new S3Source.Location(endpoint, custom, region, bucket, key),
        new S3Source.Keys(access, secret, Map.copyOf(env)), p.get(SyncerConfig.ARCHIVE), name, sha.isEmpty() ? null : sha,
        new Connector(tls, p.get(SyncerConfig.REQUEST_TIMEOUT)));
  }

  /** The path of a file option, or null when empty; a missing file is a problem. */
  static Path readableFile(String value, String option, List<String> problems) {
    if (value.isEmpty()) return null;
    Path f = Path.of(value);
    if (!Files.isReadable(f)) problems.add(option + ": cannot read " + value);
    return f;
  }

  static URI uri(String s, String option, List<String> problems) {
    try {
      URI u = new URI(s.strip());
      if (u.getScheme() == null) {
        problems.add(option + ": not a URL with a scheme: " + s);
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      problems.add(option + ": not a URL: " + s + " (" + e.getReason() + ")");
      return null;
    }
  }
}
