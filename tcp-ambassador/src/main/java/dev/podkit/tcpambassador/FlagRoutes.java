package dev.podkit.tcpambassador;

import static dev.podkit.tcpambassador.AmbassadorOptions.BALANCE;
import static dev.podkit.tcpambassador.AmbassadorOptions.LISTEN;
import static dev.podkit.tcpambassador.AmbassadorOptions.LISTEN_TLS_CERT;
import static dev.podkit.tcpambassador.AmbassadorOptions.LISTEN_TLS_CLIENT_CA;
import static dev.podkit.tcpambassador.AmbassadorOptions.LISTEN_TLS_KEY;
import static dev.podkit.tcpambassador.AmbassadorOptions.PROXY_PROTOCOL;
import static dev.podkit.tcpambassador.AmbassadorOptions.UPSTREAM;
import static dev.podkit.tcpambassador.AmbassadorOptions.UPSTREAM_CA_FILE;
import static dev.podkit.tcpambassador.AmbassadorOptions.UPSTREAM_CERT;
import static dev.podkit.tcpambassador.AmbassadorOptions.UPSTREAM_INSECURE;
import static dev.podkit.tcpambassador.AmbassadorOptions.UPSTREAM_KEY;
import static dev.podkit.tcpambassador.AmbassadorOptions.UPSTREAM_SERVER_NAME;
import static dev.podkit.tcpambassador.AmbassadorOptions.UPSTREAM_TLS;

import dev.podkit.runtime.Options;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes from flags: the n-th {@code --listen} forwards to the n-th {@code --upstream} (or one
 * {@code --listen} to every {@code --upstream}), each with {@code --balance},
 * {@code --proxy-protocol}, and the {@code --upstream-*} and {@code --listen-tls-*} TLS flags.
 * The flag counterpart of {@link SocatAddresses} and {@link RouteFile}.
 */
final class FlagRoutes {
  private FlagRoutes() {}

  /** The routes the flags give, none when no flag gives one; problems go to {@code problems}. */
  static List<Route> read(Options.Parsed p, List<String> problems) {
    List<String> listens = p.all(LISTEN);
    List<String> upstreams = p.all(UPSTREAM);
    if (listens.isEmpty() && upstreams.isEmpty()) {
      return List.of();
    }
    if (listens.isEmpty() || upstreams.isEmpty()
        || (listens.size() != upstreams.size() && listens.size() != 1)) {
      problems.add("give one --upstream per --listen (" + listens.size() + " --listen, " + upstreams.size()
          + " --upstream); several endpoints of one route go comma-separated in one --upstream");
      return List.of();
    }
    UpstreamTls tls = upstreamTls(p);
    if (tls != null && tls.keyFile() != null && tls.certFile() == null) {
      problems.add("--upstream-key needs --upstream-cert");
    }
    ListenerTls listenTls = null;
    if (!p.get(LISTEN_TLS_CERT).isEmpty()) {
      listenTls = new ListenerTls(path(p.get(LISTEN_TLS_CERT)), path(p.get(LISTEN_TLS_KEY)),
          path(p.get(LISTEN_TLS_CLIENT_CA)));
    } else if (!p.get(LISTEN_TLS_KEY).isEmpty() || !p.get(LISTEN_TLS_CLIENT_CA).isEmpty()) {
      problems.add("--listen-tls-key and --listen-tls-client-ca need --listen-tls-cert");
    }
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < listens.size(); i++) {
      String l = listens.get(i).strip();
      HostPort listen = HostPort.parse(l.contains(":") ? l : ":" + l, true, "--listen", problems);
      List<HostPort> endpoints = new ArrayList<>();
      List<String> texts = listens.size() == 1 ? upstreams : List.of(upstreams.get(i));
      for (String text : texts) {
        for (String part : text.split(",")) {
          HostPort hp = HostPort.parse(part, false, "--upstream", problems);
          if (hp != null) endpoints.add(hp);
        }
      }
      if (listen != null && !endpoints.isEmpty()) {
        routes.add(new Route(listen, endpoints, p.get(BALANCE), Route.Family.ANY, p.get(PROXY_PROTOCOL), tls,
            listenTls));
      }
    }
    return routes;
  }

  private static UpstreamTls upstreamTls(Options.Parsed p) {
    boolean any = p.get(UPSTREAM_TLS) || !p.get(UPSTREAM_CA_FILE).isEmpty() || !p.get(UPSTREAM_CERT).isEmpty()
        || !p.get(UPSTREAM_KEY).isEmpty() || !p.get(UPSTREAM_SERVER_NAME).isEmpty() || p.get(UPSTREAM_INSECURE);
    if (!any) {
      return null;
    }
    return new UpstreamTls(!p.get(UPSTREAM_INSECURE), p.get(UPSTREAM_SERVER_NAME).isEmpty() ? null : p.get(UPSTREAM_SERVER_NAME),
        true, path(p.get(UPSTREAM_CA_FILE)), path(p.get(UPSTREAM_CERT)), path(p.get(UPSTREAM_KEY)));
  }

  private static Path path(String s) {
    return s.isEmpty() ? null : Path.of(s);
  }
}
