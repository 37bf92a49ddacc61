package dev.podkit.tcpambassador;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Routes from a file, YAML or JSON (by the {@code .json} extension), for several routes or
 * settings per route:
 *
 * <pre>
 * routes:
 *   - listen: ":6379"
 *     upstream: redis-a:6379          # or a list: [redis-a:6379, redis-b:6379]
 *     balance: least_conn             # round_robin (default) or least_conn
 *     family: ipv4                    # any (default), ipv4, ipv6
 *     proxy-protocol: v2              # off (default), v1, v2
 *     tls:                            # TLS to the upstream
 *       ca-file: /etc/ca/ca.pem
 *       cert: /etc/tls/tls.crt
 *       key: /etc/tls/tls.key
 *       server-name: redis.internal   # SNI and the name checked; default: the upstream host
 *       verify: true
 *       sni: true
 *     listen-tls:                     # TLS on the listener (termination)
 *       cert: /etc/tls/server.crt
 *       key: /etc/tls/server.key
 *       client-ca: /etc/ca/clients.pem  # clients must present a certificate from these CAs
 * </pre>
 *
 * Every problem is reported with its place ({@code routes[1].listen}); unknown keys are problems.
 */
final class RouteFile {
  private static final Set<String> ROUTE_KEYS = Set.of("listen", "upstream", "balance", "family", "proxy-protocol", "tls",
      "listen-tls");
  private static final Set<String> LISTEN_TLS_KEYS = Set.of("cert", "key", "client-ca");
  private static final Set<String> TLS_KEYS = Set.of("ca-file", "cert", "key", "server-name", "verify", "sni");

  private RouteFile() {}

  /** The routes in {@code file}; problems go to {@code problems} (the result then is partial). */
  static List<Route> read(Path file, List<String> problems) {
    JsonNode root;
    // Parsed with the streaming parser into a tree of nodes, without an ObjectMapper: a mapper
    // loads some 400 classes (about 8 MB of the idle RSS of every ambassador with a route file,
    // bench/tcp-ambassador/tuning.md) for what a route file needs.
    JsonFactory factory = file.toString().endsWith(".json") ? new JsonFactory() : new YAMLFactory();
    try (JsonParser p = factory.createParser(Files.readAllBytes(file))) {
      root = p.nextToken() == null ? null : tree(p);
      if (root != null && p.nextToken() != null) {
        throw new JsonParseException(p, "more than one document or value");
      }
    } catch (JacksonException e) {
      problems.add("--config " + file + ": not valid " + (file.toString().endsWith(".json") ? "JSON" : "YAML")
          + ": " + e.getOriginalMessage());
      return List.of();
    } catch (IOException e) {
      problems.add("--config " + file + ": cannot read: " + e.getMessage());
      return List.of();
    }
    String where = "--config " + file + ": ";
    if (root == null || !root.isObject() || !root.path("routes").isArray()) {
      problems.add(where + "want an object with a 'routes' list");
      return List.of();
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("routes")) problems.add(where + "unknown key '" + k + "'");
    }
    List<Route> routes = new ArrayList<>();
    int i = 0;
    for (JsonNode r : root.get("routes")) {
      Route route = route(r, where + "routes[" + i++ + "]", problems);
      if (route != null) routes.add(route);
    }
    if (i == 0) {
      problems.add(where + "'routes' is empty");
    }
    return routes;
  }

  /** The value at {@code p}'s current token, with what it holds. */
  private static JsonNode tree(JsonParser p) throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    return switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode o = nodes.objectNode();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
          String name = p.currentName();
          p.nextToken();
          o.set(name, tree(p));
        }
        yield o;
      }
      case START_ARRAY -> {
        ArrayNode a = nodes.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          a.add(tree(p));
        }
        yield a;
      }
      case VALUE_STRING -> nodes.textNode(p.getText());
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.INT ? nodes.numberNode(p.getIntValue())
          : nodes.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDecimalValue());
      case VALUE_TRUE -> nodes.booleanNode(true);
      case VALUE_FALSE -> nodes.booleanNode(false);
      case VALUE_NULL -> nodes.nullNode();
      default -> throw new JsonParseException(p, "unexpected " + p.currentToken());
    };
  }

  private static Route route(JsonNode r, String at, List<String> problems) {
    if (!r.isObject()) {
      problems.add(at + ": want an object with listen and upstream");
      return null;
    }
    unknownKeys(r, ROUTE_KEYS, at, problems);
    HostPort listen = null;
    if (r.path("listen").isTextual() || r.path("listen").isInt()) {
      String l = r.get("listen").asText();
      listen = HostPort.parse(l.contains(":") ? l : ":" + l, true, at + ".listen", problems);
    } else {
      problems.add(at + ".listen: missing (as in \":6379\")");
    }
    List<HostPort> upstreams = new ArrayList<>();
    JsonNode u = r.path("upstream");
    if (u.isTextual()) {
      for (String part : u.asText().split(",")) {
        addUpstream(part, at + ".upstream", upstreams, problems);
      }
    } else if (u.isArray() && !u.isEmpty()) {
      int j = 0;
      for (JsonNode e : u) {
        addUpstream(e.asText(), at + ".upstream[" + j++ + "]", upstreams, problems);
      }
    } else {
      problems.add(at + ".upstream: missing (HOST:PORT or a list of them)");
    }
    Route.Balance balance = choice(r, "balance", Route.Balance.class, Route.Balance.ROUND_ROBIN, at, problems);
    Route.Family family = choice(r, "family", Route.Family.class, Route.Family.ANY, at, problems);
    Route.ProxyProtocol pp = choice(r, "proxy-protocol", Route.ProxyProtocol.class, Route.ProxyProtocol.OFF, at, problems);
    int beforeTls = problems.size();
    UpstreamTls tls = r.has("tls") ? tls(r.get("tls"), at + ".tls", problems) : null;
    if (problems.size() > beforeTls) {
      tls = null;
    }
    beforeTls = problems.size();
    ListenerTls listenTls = r.has("listen-tls") ? listenTls(r.get("listen-tls"), at + ".listen-tls", problems) : null;
    if (problems.size() > beforeTls) {
      listenTls = null;
    }
    if (listen == null || upstreams.isEmpty()) {
      return null;
    }
    // Also with problems in its other keys, so that its TLS files are read and their problems
    // listed with the rest (the configuration as a whole is refused); a TLS part with a problem
    // of its own is left out.
    return new Route(listen, upstreams, balance, family, pp, tls, listenTls);
  }

  private static void addUpstream(String text, String at, List<HostPort> out, List<String> problems) {
    HostPort hp = HostPort.parse(text, false, at, problems);
    if (hp != null) out.add(hp);
  }

  private static UpstreamTls tls(JsonNode t, String at, List<String> problems) {
    if (!t.isObject()) {
      problems.add(at + ": want an object (ca-file, cert, key, server-name, verify, sni)");
      return null;
    }
    unknownKeys(t, TLS_KEYS, at, problems);
    Path cert = path(t, "cert");
    Path key = path(t, "key");
    if (key != null && cert == null) {
      problems.add(at + ".key: needs cert");
    }
    return new UpstreamTls(bool(t, "verify", at, problems), t.has("server-name") ? t.get("server-name").asText() : null,
        bool(t, "sni", at, problems), path(t, "ca-file"), cert, key);
  }

  private static ListenerTls listenTls(JsonNode t, String at, List<String> problems) {
    if (!t.isObject()) {
      problems.add(at + ": want an object (cert, key, client-ca)");
      return null;
    }
    unknownKeys(t, LISTEN_TLS_KEYS, at, problems);
    Path cert = path(t, "cert");
    if (cert == null) {
      problems.add(at + ".cert: missing (the server certificate, PEM)");
    }
    return new ListenerTls(cert, path(t, "key"), path(t, "client-ca"));
  }

  private static boolean bool(JsonNode t, String key, String at, List<String> problems) {
    JsonNode v = t.get(key);
    if (v == null) {
      return true;
    }
    if (!v.isBoolean()) {
      problems.add(at + "." + key + ": want true or false, not " + v);
      return true;
    }
    return v.asBoolean();
  }

  private static Path path(JsonNode t, String key) {
    return t.hasNonNull(key) ? Path.of(t.get(key).asText()) : null;
  }

  private static <E extends Enum<E>> E choice(JsonNode r, String key, Class<E> type, E dflt, String at,
      List<String> problems) {
    JsonNode v = r.get(key);
    if (v == null) {
      return dflt;
    }
    String text = v.asText().strip().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(text)) return e;
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT));
    problems.add(at + "." + key + ": '" + v.asText() + "' is not one of " + String.join("|", names));
    return dflt;
  }

  private static void unknownKeys(JsonNode node, Set<String> known, String at, List<String> problems) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) problems.add(at + ": unknown key '" + k + "'");
    }
  }
}
