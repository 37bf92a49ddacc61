package dev.podkit.initwaiter;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an HTTP target must answer to be ready, and how its TLS is checked.
 *
 * @param status accepted statuses
 * @param bodyContains text the body must contain, or null
 * @param bodyRegex a pattern the body must match somewhere, or null
 * @param headers header name and pattern pairs that must all match a value of that header
 * @param caFile PEM certificates to trust instead of the runtime's roots, or null
 * @param insecure skip certificate and host name verification (explicit opt-in only)
 */
record HttpExpectations(StatusRange status, String bodyContains, Pattern bodyRegex,
    List<HeaderMatch> headers, Path caFile, boolean insecure) {

  /** One {@code NAME=REGEX} header expectation. */
  record HeaderMatch(String name, Pattern value) {
    static HeaderMatch parse(String text) {
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("bad header match '" + text + "' (use NAME=REGEX)");
      }
      return new HeaderMatch(text.substring(0, eq).strip(), Pattern.compile(text.substring(eq + 1)));
    }

    @Override
    public String toString() {
      return name + "=" + value;
    }
  }

  boolean needsBody() {
    return bodyContains != null || bodyRegex != null;
  }
}
