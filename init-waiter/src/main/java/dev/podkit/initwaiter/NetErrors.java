package dev.podkit.initwaiter;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Turns the I/O failures of an attempt into the short reasons users read in logs. */
final class NetErrors {
  private NetErrors() {}

  /** A few words for {@code e}: "connection refused", "dns: no such host db", "tls: ...". */
  static String describe(IOException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return switch (e) {
      case UnknownHostException u -> "dns: cannot resolve " + m.replaceFirst(":.*", "");
      case ConnectException c when m.contains("refused") -> "connection refused";
      case ConnectException c when m.contains("timed out") -> "connect timed out";
      case ConnectException c -> "cannot connect: " + m;
      case NoRouteToHostException n -> "no route to host";
      case SocketTimeoutException t -> "timed out: " + m;
      case SSLException s -> "tls: " + rootMessage(s);
      default -> m.contains("Connection reset") ? "connection reset"
          : e.getClass().getSimpleName() + ": " + m;
    };
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    return c == t ? m : t.getMessage() + " (" + m + ")";
  }
}
