package dev.podkit.runtime;

/**
 * The three health states the admin endpoint reports: live (the process works), ready (it should
 * get traffic or count as up) and started (its first job is done; a native sidecar's
 * startupProbe holds the app until then). Each carries a short reason for the response body.
 * A helper whose health depends on more (a sink, a lag) overrides the {@code ...Problem} methods
 * and still calls these for the states set here.
 */
public class Health {
  // Each field is written by the helper's core and read by the admin thread.
  private volatile String notLive = null;
  private volatile String notReady = "starting";
  private volatile String notStarted = "starting";

  public void live() { notLive = null; }
  public void notLive(String reason) { notLive = reason; }
  public void ready() { notReady = null; }
  public void notReady(String reason) { notReady = reason; }
  public void started() { notStarted = null; }
  public void notStarted(String reason) { notStarted = reason; }

  /** Null when live, else why not. */
  public String livezProblem() { return notLive; }
  /** Null when ready, else why not. */
  public String readyzProblem() { return notReady; }
  /** Null when started, else why not. */
  public String startupzProblem() { return notStarted; }
}
