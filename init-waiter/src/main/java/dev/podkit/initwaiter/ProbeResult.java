package dev.podkit.initwaiter;

/**
 * What one attempt found.
 *
 * @param ready whether the target is ready
 * @param reason why not, in a few words ("connection refused", "status 503", "auth failed:
 *     28P01 ..."); for a ready target, what answered ("status 200", "PONG")
 */
public record ProbeResult(boolean ready, String reason) {
  public static ProbeResult ready(String what) {
    return new ProbeResult(true, what);
  }

  public static ProbeResult notReady(String reason) {
    return new ProbeResult(false, reason);
  }
}
