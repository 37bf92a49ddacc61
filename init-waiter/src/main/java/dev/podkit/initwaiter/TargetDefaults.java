package dev.podkit.initwaiter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-target settings as the global flags set them; a target's URL fragment may override
 * any of them ({@link #with}).
 *
 * @param http HTTP expectations and TLS settings
 * @param minAddresses for dns targets, how many addresses are needed
 * @param nonEmpty for file targets, whether an empty file counts as missing
 */
record TargetDefaults(HttpExpectations http, int minAddresses, boolean nonEmpty) {

  /** These defaults with the fragment's {@code settings} applied; bad values go to problems. */
  TargetDefaults with(Map<String, List<String>> settings, String spec, List<String> problems) {
    if (settings.isEmpty()) {
      return this;
    }
    String where = "target '" + spec + "'";
    HttpExpectations h = http;
    StatusRange status = h.status();
    String body = h.bodyContains();
    var bodyRegex = h.bodyRegex();
    List<HttpExpectations.HeaderMatch> headers = new ArrayList<>(h.headers());
    Path ca = h.caFile();
    boolean insecure = h.insecure();
    int min = minAddresses;
    boolean nonEmptyNow = nonEmpty;
    for (var e : settings.entrySet()) {
      String v = e.getValue().getLast();
      try {
        switch (e.getKey()) {
          case "status" -> status = StatusRange.parse(v);
          case "body" -> body = v;
          case "body-regex" -> bodyRegex = TargetParser.regex(v, where, problems);
          case "header" -> e.getValue().forEach(x -> headers.add(HttpExpectations.HeaderMatch.parse(x)));
          case "ca-file" -> ca = caFile(v, where, problems);
          case "insecure" -> insecure = bool(v);
          case "min-addresses" -> min = positive(v);
          case "non-empty" -> nonEmptyNow = bool(v);
          default -> throw new IllegalStateException(e.getKey());
        }
      } catch (IllegalArgumentException ex) {
        problems.add(where + ": " + e.getKey() + ": " + ex.getMessage());
      }
    }
    return new TargetDefaults(new HttpExpectations(status, body, bodyRegex, List.copyOf(headers), ca, insecure),
        min, nonEmptyNow);
  }

  static Path caFile(String text, String where, List<String> problems) {
    Path p = Path.of(text);
    if (!Files.isReadable(p)) {
      problems.add(where + ": CA file " + text + " is not readable");
    }
    return p;
  }

  private static int positive(String v) {
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("not a whole number of at least 1: '" + v + "'");
  }

  private static boolean bool(String v) {
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not true or false: '" + v + "'");
    };
  }
}
