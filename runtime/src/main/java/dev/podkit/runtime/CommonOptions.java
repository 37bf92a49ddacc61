package dev.podkit.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The options every helper has: log format and level, the admin address, and for helpers that
 * drain on SIGTERM the shutdown deadline. Each helper builds one with its own default admin port.
 *
 * @param adminPort this helper's default admin port, distinct per image so that several podkit
 *     helpers can share a pod's network namespace
 * @param shutdownTimeout the drain deadline option, or null for a helper with nothing to drain
 */
public record CommonOptions(int adminPort, Option<Log.Format> logFormat, Option<Log.Level> logLevel,
    Option<String> admin, Option<Duration> shutdownTimeout) {

  /** Declarations for a helper whose admin endpoint listens on {@code adminPort} by default. */
  public static CommonOptions withAdminPort(int adminPort) {
    return withAdminPort(adminPort, null);
  }

  /**
   * Declarations for a helper whose admin endpoint listens on {@code adminPort} by default and
   * that drains for at most {@code shutdownTimeout} (by default) on SIGTERM.
   */
  public static CommonOptions withAdminPort(int adminPort, Duration shutdownTimeout) {
    return new CommonOptions(adminPort,
        Option.choice("log-format", Log.Format.class, Log.Format.JSON, "Log lines as JSON objects or plain text."),
        Option.choice("log-level", Log.Level.class, Log.Level.INFO, "Lowest level logged."),
        Option.text("admin-address", "[HOST]:PORT|off", ":" + adminPort,
            "Where /livez, /readyz, /startupz and /metrics are served; off disables it."),
        shutdownTimeout == null ? null : Option.duration("shutdown-timeout", shutdownTimeout,
            "On SIGTERM, how long to drain and flush before exiting anyway."));
  }

  public List<Option<?>> all() {
    return shutdownTimeout == null ? List.of(logFormat, logLevel, admin)
        : List.of(logFormat, logLevel, admin, shutdownTimeout);
  }

  /** Applies the log settings of {@code parsed} to the process. */
  public void configureLogging(Options.Parsed parsed) {
    Log.configure(parsed.get(logFormat), parsed.get(logLevel));
  }

  /**
   * The admin address, or null when disabled; a bad value is added to {@code problems}.
   * {@code :9405} means every interface.
   */
  public InetSocketAddress adminAddress(Options.Parsed parsed, List<String> problems) {
    String text = parsed.get(admin).strip();
    if (text.equalsIgnoreCase("off")) {
      return null;
    }
    int colon = text.lastIndexOf(':');
    String host = colon < 0 ? "" : text.substring(0, colon);
    String portText = colon < 0 ? text : text.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(portText);
      if (port < 0 || port > 65535) throw new NumberFormatException();
      return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    } catch (NumberFormatException e) {
      problems.add("--admin-address: bad port in '" + text + "' (use :PORT, HOST:PORT or off)");
      return null;
    }
  }
}
