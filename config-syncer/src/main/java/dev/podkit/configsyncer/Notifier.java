package dev.podkit.configsyncer;

import java.io.IOException;

/** One way to tell the app that a new version is published: a webhook, a signal, a touched file. */
interface Notifier {
  /** The kind, for logs and the metric tag: {@code webhook}, {@code signal}, {@code touch}. */
  String kind();

  /** Tells the app that {@code version} is published; throws when it could not. */
  void notify(String version) throws IOException;
}
