package dev.podkit.logshipper;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.podkit.filetail.Position;
import dev.podkit.runtime.AtomicFiles;
import dev.podkit.runtime.Ticker;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The shipper's checkpoints: for each watched path, the {@link Position} up to which its lines
 * are delivered, kept in one {@link CheckpointFile} that is replaced atomically on each
 * {@link #saveIfChanged}, so a kill -9 at any moment leaves the last saved version whole. Thread-safe.
 */
public final class Checkpoints {
  /** A file larger than this is not read: far more paths than one node has. */
  static final long MAX_FILE_BYTES = 64L << 20;
  private static final DateTimeFormatter ASIDE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private record Entry(Position position, long seenNanos) {}

  private final Path file;
  private final Ticker ticker;
  private final CheckpointEvents events;
  /** Guarded by this. Sorted, so the file lists paths in a stable order. */
  private final TreeMap<String, Entry> entries = new TreeMap<>();
  /** Guarded by this: counts changes; the file holds change {@code saved}. */
  private long changes;
  private long saved;
  /** Held through a whole save, so two saves cannot land out of order. */
  private final Object saveLock = new Object();

  private Checkpoints(Path file, Ticker ticker, CheckpointEvents events) {
    this.file = file;
    this.ticker = ticker;
    this.events = events;
  }

  /**
   * The checkpoints saved in {@code file}: none if it does not exist. A file that cannot be read
   * or is not a complete version 1 file is reported, moved aside as
   * {@code <name>.corrupt-<UTC time>} so the next save does not destroy it, and treated as empty.
   * Temp files of saves a crash interrupted are deleted.
   */
  public static Checkpoints load(Path file, Ticker ticker, CheckpointEvents events) {
    Checkpoints c = new Checkpoints(file, ticker, events);
    try {
      AtomicFiles.deleteLeftovers(file);
    } catch (NoSuchFileException e) {
      return c; // no folder yet: the first save creates it
    } catch (IOException e) {
      events.writeFailed(file, e); // harmless garbage left; the file itself may still be good
    }
    Map<String, Position> positions;
    try {
      positions = read(file);
    } catch (NoSuchFileException e) {
      return c;
    } catch (IOException e) {
      c.setAside(reason(e));
      return c;
    }
    long now = ticker.nanoTime();
    positions.forEach((path, position) -> c.entries.put(path, new Entry(position, now)));
    events.loaded(file, positions.size());
    return c;
  }

  private static Map<String, Position> read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IOException("larger than " + MAX_FILE_BYTES + " bytes: " + size);
    }
    return CheckpointFile.decode(Files.readAllBytes(file));
  }

  private static String reason(IOException e) {
    if (e instanceof JsonProcessingException j) {
      var at = j.getLocation();
      return j.getOriginalMessage() + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private void setAside(String reason) {
    // Wall time only names the kept file for a person to find; nothing reads it back.
    String base = file.getFileName() + ".corrupt-" + ASIDE_TIME.format(Instant.now());
    for (int n = 0; ; n++) {
      Path aside = file.resolveSibling(n == 0 ? base : base + "-" + n);
      try {
        Files.move(file, aside);
        events.discarded(file, aside, reason);
        return;
      } catch (FileAlreadyExistsException e) {
        // set aside twice in the same millisecond: try the next suffix
      } catch (IOException e) {
        events.discarded(file, null, reason + "; not moved aside: " + reason(e));
        return;
      }
    }
  }

  /** The file the checkpoints are saved to. */
  public Path file() {
    return file;
  }

  /** The position saved for {@code path}, if any. */
  public synchronized Optional<Position> get(String path) {
    Entry e = entries.get(path);
    return e == null ? Optional.empty() : Optional.of(e.position);
  }

  /** Every saved position, whatever its path. */
  public synchronized List<Position> positions() {
    List<Position> all = new ArrayList<>(entries.size());
    entries.values().forEach(e -> all.add(e.position));
    return all;
  }

  /** Sets the position of {@code path}, to be saved by the next {@link #saveIfChanged}; marks it seen. */
  public synchronized void put(String path, Position position) {
    if (path == null) throw new IllegalArgumentException("path is null");
    if (position == null) throw new IllegalArgumentException("position is null");
    Entry old = entries.put(path, new Entry(position, ticker.nanoTime()));
    if (old == null || !old.position.equals(position)) {
      changes++;
    }
  }

  /** Forgets {@code path}'s position. */
  public synchronized void remove(String path) {
    if (entries.remove(path) != null) {
      changes++;
    }
  }

  /** Marks {@code paths} (those a scan found) as seen now, which keeps their positions. */
  public synchronized void seen(Collection<String> paths) {
    long now = ticker.nanoTime();
    for (String path : paths) {
      entries.computeIfPresent(path, (p, e) -> new Entry(e.position, now));
    }
  }

  /**
   * Forgets the positions of paths neither {@link #put} nor {@link #seen} for longer than
   * {@code idle}, so the file does not grow with every file a node ever had; returns their
   * paths. Positions loaded from the file count as seen at load time.
   */
  public synchronized List<String> forgetUnseen(Duration idle) {
    if (idle.isNegative()) throw new IllegalArgumentException("idle < 0: " + idle);
    long now = ticker.nanoTime();
    List<String> forgotten = new ArrayList<>();
    for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Entry> e = it.next();
      if (now - e.getValue().seenNanos > idle.toNanos()) {
        forgotten.add(e.getKey());
        it.remove();
      }
    }
    if (!forgotten.isEmpty()) {
      changes++;
    }
    return forgotten;
  }

  /** How many paths have a position. */
  public synchronized int size() {
    return entries.size();
  }

  /**
   * Writes the positions to the file if they changed since the last save, creating its folder
   * if needed. Returns whether the file now holds them all; if not, the failure was reported
   * and the next call tries again.
   */
  public boolean saveIfChanged() {
    synchronized (saveLock) {
      long version;
      int count;
      byte[] bytes;
      synchronized (this) {
        if (changes == saved) {
          return true;
        }
        version = changes;
        count = entries.size();
        Map<String, Position> positions = new LinkedHashMap<>();
        entries.forEach((path, e) -> positions.put(path, e.position));
        bytes = CheckpointFile.encode(positions);
      }
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, bytes);
      } catch (IOException e) {
        events.writeFailed(file, e);
        return false;
      }
      synchronized (this) {
        saved = version;
      }
      events.saved(file, count);
      return true;
    }
  }
}
