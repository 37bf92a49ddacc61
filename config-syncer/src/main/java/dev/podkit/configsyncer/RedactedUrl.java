package dev.podkit.configsyncer;

/** A URL for logs: a password or token in its user info is replaced by {@code ***}. */
final class RedactedUrl {
  private RedactedUrl() {}

  static String of(String url) {
    int scheme = url.indexOf("://");
    int at = url.indexOf('@', scheme < 0 ? 0 : scheme + 3);
    int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    if (scheme < 0 || at < 0 || slash >= 0 && slash < at) return url;
    String user = url.substring(scheme + 3, at);
    int colon = user.indexOf(':');
    return colon < 0 ? url : url.substring(0, scheme + 3) + user.substring(0, colon) + ":***" + url.substring(at);
  }
}
