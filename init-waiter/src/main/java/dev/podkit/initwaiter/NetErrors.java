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
    // An if-chain, not a pattern switch, for the same start-up reason as in Json.value.
    if (e instanceof UnknownHostException) {
      return "dns: cannot resolve " + m.replaceFirst(":.*", "");
    }
    if (e instanceof ConnectException) {
      return m.contains("refused") ? "connection refused"
          : m.contains("timed out") ? "connect timed out" : "cannot connect: " + m;
    }
    if (e instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out: " + m;
    }
    if (e instanceof SSLException) {
      return "tls: " + rootMessage(e);
    }
    return m.contains("Connection reset") ? "connection reset" : e.getClass().getSimpleName() + ": " + m;
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
