package dev.podkit.logshipper;

/**
 * Where the shipper runs, from environment variables set through the Downward API; any may be
 * null when not set. Sinks add these to every event (fields, or Loki labels).
 */
public record Metadata(String pod, String namespace, String node, String container) {
  public static final Metadata NONE = new Metadata(null, null, null, null);
}
