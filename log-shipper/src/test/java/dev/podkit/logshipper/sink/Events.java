package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds events and batches for the sink tests. */
final class Events {
  /** 2024-01-01T00:00:00.123456789Z. */
  static final long T0 = 1_704_067_200_123_456_789L;

  private Events() {}

  static Event event(String message, long epochNanos, String path, String stream) {
    return new Event(message.getBytes(StandardCharsets.UTF_8), epochNanos, path, stream, false);
  }

  /** {@code messages} from /var/log/app.log, a millisecond apart from {@link #T0}. */
  static Batch batch(String... messages) {
    List<Event> list = new ArrayList<>();
    for (int i = 0; i < messages.length; i++) {
      list.add(event(messages[i], T0 + i * 1_000_000L, "/var/log/app.log", null));
    }
    return Batch.of(list);
  }
}
