package dev.podkit.initwaiter;

import dev.podkit.runtime.TlsContexts;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns target URLs into {@link Target}s: {@code tcp://host:port} (or bare {@code host:port}),
 * {@code http(s)://...}, {@code dns://name}, {@code file:///path}, {@code postgres://},
 * {@code redis://}. Settings for one target go in the URL fragment, which is never sent:
 * {@code http://api:8080/healthz#status=204&body=ok}; they override the global flags.
 */
final class TargetParser {
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^:/@#?\\s]+):(\\d+)");
  private static final Set<String> SETTINGS = Set.of("status", "body", "body-regex", "header", "ca-file",
      "insecure", "min-addresses", "non-empty");
  private static final String SCHEMES = "tcp://, http://, https://, dns://, file://, postgres://, redis://";

  private final TargetDefaults defaults;

  TargetParser(TargetDefaults defaults) {
    this.defaults = defaults;
  }

  /** Parses {@code spec}; returns null and adds to {@code problems} when it is not usable. */
  Target parse(String spec, List<String> problems) {
    String s = spec.strip();
    if (HOST_PORT.matcher(s).matches()) {
      s = "tcp://" + s;
    }
    int hash = s.indexOf('#');
    String fragment = hash < 0 ? "" : s.substring(hash + 1);
    String base = hash < 0 ? s : s.substring(0, hash);
    int before = problems.size();
    try {
      URI uri = new URI(base);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      Map<String, List<String>> settings = settings(fragment, spec, problems);
      TargetDefaults d = defaults.with(settings, spec, problems);
      Probe probe = switch (scheme) {
        case "tcp" -> {
          Endpoint e = endpoint(uri, -1, spec, problems);
          yield e == null ? null : new TcpProbe(e.host, e.port);
        }
        case "http", "https" -> {
          Endpoint e = endpoint(uri, scheme.equals("https") ? 443 : 80, spec, problems);
          yield e == null ? null : new HttpProbe(uri, d.http(),
              scheme.equals("https") ? TlsContexts.socketFactory(d.http().caFile(), d.http().insecure()) : null);
        }
        case "dns" -> {
          String name = uri.getHost() != null ? uri.getHost()
              : uri.getAuthority() != null ? uri.getAuthority() : uri.getSchemeSpecificPart();
          if (name == null || name.isBlank() || name.contains("/")) {
            problems.add("bad target '" + spec + "': no name to resolve (use dns://NAME)");
            yield null;
          }
          yield new DnsProbe(name, d.minAddresses());
        }
        case "file" -> {
          String path = uri.getPath();
          if (path == null || !path.startsWith("/") || uri.getAuthority() != null) {
            problems.add("bad target '" + spec + "': use file:///ABSOLUTE/PATH");
            yield null;
          }
          yield new FileProbe(Path.of(path), d.nonEmpty());
        }
        case "postgres", "postgresql" -> {
          Endpoint e = endpoint(uri, 5432, spec, problems);
          String db = uri.getPath() == null || uri.getPath().length() <= 1 ? null : uri.getPath().substring(1);
          yield e == null ? null : new PostgresProbe(e.host, e.port, e.user, e.password, db);
        }
        case "redis" -> {
          Endpoint e = endpoint(uri, 6379, spec, problems);
          yield e == null ? null : new RedisProbe(e.host, e.port, e.user, e.password);
        }
        default -> {
          problems.add("bad target '" + spec + "': " + (scheme.isEmpty() ? "no scheme" : "unknown scheme '" + scheme + "'")
              + " (use " + SCHEMES + ")");
          yield null;
        }
      };
      return probe == null || problems.size() > before ? null : new Target(redact(spec), probe);
    } catch (URISyntaxException e) {
      problems.add("bad target '" + spec + "': " + e.getReason());
      return null;
    } catch (IllegalArgumentException e) {
      problems.add("bad target '" + spec + "': " + e.getMessage());
      return null;
    }
  }

  private record Endpoint(String host, int port, String user, String password) {}

  private static Endpoint endpoint(URI uri, int defaultPort, String spec, List<String> problems) {
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      problems.add("bad target '" + spec + "': no host");
      return null;
    }
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String info = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
      if (user.isEmpty()) user = null;
    }
    String host = authority;
    int port = defaultPort;
    int colon = authority.lastIndexOf(':');
    if (colon >= 0 && colon > authority.lastIndexOf(']')) {
      host = authority.substring(0, colon);
      String p = authority.substring(colon + 1);
      try {
        port = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        port = -2;
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      problems.add("bad target '" + spec + "': no host");
      return null;
    }
    if (port == -1) {
      problems.add("bad target '" + spec + "': no port (use " + uri.getScheme() + "://HOST:PORT)");
      return null;
    }
    if (port < 1 || port > 65535) {
      problems.add("bad target '" + spec + "': bad port (1 to 65535)");
      return null;
    }
    return new Endpoint(host, port, user, password);
  }

  private static Map<String, List<String>> settings(String fragment, String spec, List<String> problems) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (fragment.isEmpty()) {
      return out;
    }
    for (String pair : fragment.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "true" : decode(pair.substring(eq + 1));
      if (!SETTINGS.contains(key)) {
        problems.add("bad target '" + spec + "': unknown setting '" + key + "' (known: "
            + String.join(", ", SETTINGS.stream().sorted().toList()) + ")");
        continue;
      }
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The spec with the password of its user info, if any, replaced by {@code ***}. */
  static String redact(String spec) {
    return spec.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/@#?:]*):[^/@#?]*@", "$1:***@");
  }

  static Pattern regex(String text, String what, List<String> problems) {
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      problems.add(what + ": bad regex '" + text + "': " + e.getDescription());
      return null;
    }
  }
}
