package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.Event;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes deterministic Elasticsearch document ids: a hash of the event's path, time and message,
 * so that an item sent again after a lost answer is refused as a duplicate (409) instead of being
 * stored twice. Equal events within one batch (the same line twice in the same nanosecond) get
 * distinct ids by their order of appearance.
 */
final class DocumentIds {
  private final MessageDigest sha256;
  private final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();

  DocumentIds() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The id of each of {@code events}, distinct within the list. */
  String[] ids(List<Event> events) {
    String[] ids = new String[events.size()];
    Set<String> seen = new HashSet<>(events.size() * 2);
    for (int i = 0; i < ids.length; i++) {
      String id = id(events.get(i), 0);
      for (int n = 1; !seen.add(id); n++) {
        id = id(events.get(i), n);
      }
      ids[i] = id;
    }
    return ids;
  }

  /** 120 bits of SHA-256 as 20 URL-safe characters, as long as Elasticsearch's own ids. */
  private String id(Event e, int occurrence) {
    MessageDigest d = sha256;
    d.reset();
    if (e.path() != null) {
      d.update(e.path().getBytes(StandardCharsets.UTF_8));
    }
    d.update((byte) 0); // separators: "a"+"bc" and "ab"+"c" must differ
    long t = e.epochNanos();
    for (int s = 56; s >= 0; s -= 8) {
      d.update((byte) (t >>> s));
    }
    d.update(e.message());
    if (occurrence > 0) {
      d.update((byte) 0);
      d.update(Integer.toString(occurrence).getBytes(StandardCharsets.US_ASCII));
    }
    byte[] h = d.digest();
    return base64.encodeToString(Arrays.copyOf(h, 15));
  }
}
