package dev.podkit.filetail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One file a {@link FileFollower} has open, read into lines: its {@link TailedFile} fed to the
 * follower's {@link LineFramer} up to a budget, from its start again when it was truncated; the
 * partial last line the framer holds delivered when asked, once it has waited the partial-line
 * flush with no new byte, or when the file ends; and, once its path names no file, whether it
 * has been quiet for the gone timeout. Made at each open; used on the follower's polling thread.
 */
final class FramedFile {
  private final Path path;
  private final TailedFile file;
  private final LineFramer framer;
  private final ReadBuffer buffer;
  private final TailEvents events;
  private final TailOptions options;
  /** When the file last gave a byte, or was opened. */
  private long lastDataNanos;
  /** The path named no file at the last look; goneSinceNanos is when that was first seen. */
  private boolean gone;
  private long goneSinceNanos;

  FramedFile(Path path, TailedFile file, LineFramer framer, ReadBuffer buffer, TailEvents events,
      TailOptions options, long now) {
    this.path = path;
    this.file = file;
    this.framer = framer;
    this.buffer = buffer;
    this.events = events;
    this.options = options;
    this.lastDataNanos = now;
  }

  FileKey key() {
    return file.key();
  }

  long offset() {
    return file.offset();
  }

  /** Where the delivered lines end; see {@link TailedFile#position()}. */
  Position position() {
    return file.position();
  }

  /** Where the delivered lines end now, without fingerprints; see {@link TailedFile#deliveredOffset()}. */
  long deliveredOffset() {
    return file.deliveredOffset();
  }

  /** Bytes past the end of the delivered lines; 0 if the file's size cannot be read. */
  long lagBytes() {
    try {
      return Math.max(0, file.size() - file.deliveredOffset());
    } catch (IOException e) {
      return 0; // the next poll reports the handle's trouble
    }
  }

  /** The position at {@code offset}, a {@link #deliveredOffset()} taken earlier; empty if it cannot be read. */
  Optional<Position> positionAt(long offset) {
    try {
      return Optional.of(file.positionAt(offset));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Reads the file into lines, at most {@code budget} bytes; returns how many. */
  int drain(int budget, long now) throws IOException {
    int total = 0;
    while (total < budget) {
      int n = file.read(buffer, budget - total, framer);
      if (n == TailedFile.TRUNCATED) {
        events.truncated(path, file.key(), file.offset());
        // The partial line held belongs to the content that is gone: deliver it as it is.
        framer.finish();
        file.restart();
        continue; // bounded: at offset 0 there is nothing before the offset to differ
      }
      if (n == 0) {
        break;
      }
      total += n;
      lastDataNanos = now;
    }
    return total;
  }

  /** Delivers the partial last line held, if any, flagged UNTERMINATED. */
  void flush() {
    if (framer.pending() > 0) {
      events.partialLineFlushed(path, framer.pending());
      framer.flush();
      file.flushed();
    }
  }

  /** Whether the file gave no byte for the partial-line flush time, as of {@code now}. */
  boolean idle(long now) {
    return now - lastDataNanos >= options.partialLineFlush().toNanos();
  }

  /** The path names this file (again). */
  void named() {
    gone = false;
  }

  /**
   * The path names no file as of {@code now} (reported the first time): whether this one has
   * been quiet for the gone timeout since then and since its last byte.
   */
  boolean goneQuiet(long now) {
    if (!gone) {
      gone = true;
      goneSinceNanos = now;
      events.fileGone(path, file.key());
    }
    long quietSince = Math.max(goneSinceNanos, lastDataNanos);
    return now - quietSince >= options.goneTimeout().toNanos();
  }

  /** The file ends here: its partial last line is delivered, since nothing will complete it. */
  void finish() {
    framer.finish();
    file.flushed(); // everything read is delivered now
  }

  /** Forgets the partial last line held: it is read again when the file is resumed. */
  void discard() {
    framer.discard();
  }

  void close() throws IOException {
    file.close();
  }
}
