package dev.podkit.filetail;

import dev.podkit.runtime.Ticker;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows one path by name, like {@code tail -F} but without losing or tearing lines: it survives
 * rotation by rename, copytruncate (including a truncation regrown past the offset between two
 * polls), delete and recreate, symlink retargeting, and a file that appears late. Driven by
 * {@link #poll()} from one thread that may drive thousands of followers; no thread of its own.
 *
 * <p>Each poll:
 *
 * <ol>
 *   <li>opens the file the path names if none is open (at the {@link Start} the first time, from
 *       its start after that);
 *   <li>reads the open file, up to the per-poll budget; every read first checks that the bytes
 *       before the offset are unchanged, and restarts at 0 if not;
 *   <li>at the end of the open file, looks at what the path names now;
 *   <li>if that is another file or none, reads the open file to its end again, since the writer
 *       may have appended between (2) and (3);
 *   <li>then switches to the new file from its start, or, when no file is there, keeps the old
 *       one open until the gone timeout passes with no new byte.
 * </ol>
 *
 * <p>Followers that share {@link FileClaims} read each file once, whatever its names: a file
 * another of them holds is not opened until that one lets it go, and is then read on from where
 * it was left (not from the {@link Start}, nor from its start).
 */
public final class FileFollower implements Closeable {
  /** Rotations followed in one poll at most: a bound, not a limit anyone should reach. */
  private static final int MAX_SWITCHES = 4;

  private final Path path;
  private final TailOptions options;
  private final Ticker ticker;
  private final TailEvents events;
  private final ReadBuffer buffer;
  /** Frames each file opened into lines; holds the partial last line of the one being read. */
  private final LineFramer framer;
  /** Opens the files the path names, each where it is to be read from, and lets them go. */
  private final FileOpener opener;
  /** The file being read; null while none is open. */
  private FramedFile file;
  private int failures;
  private long retryAtNanos;
  private boolean closed;

  public FileFollower(Path path, Start start, TailOptions options, ReadBuffer buffer, Ticker ticker,
      LineSink sink, TailEvents events) {
    this(path, start, options, buffer, ticker, sink, events, FileClaims.none());
  }

  /** A follower that reads no file that another follower sharing {@code claims} holds or has read. */
  public FileFollower(Path path, Start start, TailOptions options, ReadBuffer buffer, Ticker ticker,
      LineSink sink, TailEvents events, FileClaims claims) {
    Objects.requireNonNull(claims, "claims");
    this.path = Objects.requireNonNull(path, "path");
    Objects.requireNonNull(start, "start");
    this.options = Objects.requireNonNull(options, "options");
    this.buffer = Objects.requireNonNull(buffer, "buffer");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.events = Objects.requireNonNull(events, "events");
    this.framer = new LineFramer(options.maxLineBytes(), options.longLines(), options.stripCr(),
        new ReportingSink(path, events, Objects.requireNonNull(sink, "sink")));
    this.opener = new FileOpener(path, start, buffer, events, claims);
  }

  public Path path() {
    return path;
  }

  /**
   * Reads what is available, at most {@link TailOptions#maxReadBytesPerPoll()}, and delivers the
   * lines it completes. Returns the bytes read: 0 means nothing new (or backing off after an
   * error, which is reported, not thrown). Interrupting the polling thread during a poll closes
   * the open handle (a java.nio rule): that is reported as a read error and the file reopened and
   * resumed after the backoff, once the interrupt is cleared.
   */
  public int poll() {
    long now = ticker.nanoTime();
    if (closed || (failures > 0 && now - retryAtNanos < 0)) {
      return 0;
    }
    int total = 0;
    try {
      for (int switches = 0; switches <= MAX_SWITCHES; switches++) {
        if (file == null && !open(now)) { // (1)
          break;
        }
        total += file.drain(options.maxReadBytesPerPoll() - total, now); // (2)
        if (total >= options.maxReadBytesPerPoll()) {
          break; // the rest next poll: fair to the other followers this thread drives
        }
        FileKey named = FileKey.at(path); // (3)
        if (file.key().equals(named)) {
          file.named();
          break;
        }
        total += file.drain(options.maxReadBytesPerPoll() - total, now); // (4)
        if (total >= options.maxReadBytesPerPoll()) {
          break;
        }
        if (named == null) { // (5)
          leftBehind(now);
          break;
        }
        FileKey old = file.key();
        closeFile();
        events.rotated(path, old, named);
      }
      if (file != null && file.idle(now)) {
        flush();
      }
      failures = 0;
    } catch (ClosedChannelException e) {
      failed(e, now);
      reopenLater();
    } catch (IOException e) {
      failed(e, now);
    }
    return total;
  }

  /**
   * Where the delivered lines end in the open file, for a checkpoint; empty while none is open.
   * Taken after a poll it is consistent with every line delivered so far. Resuming inside a long
   * line (between its pieces, or in its skipped rest) delivers the remainder as a line of its own.
   */
  public Optional<Position> position() {
    return file == null ? Optional.empty() : Optional.of(file.position());
  }

  /** Whether a file is open: being read, or drained after its name moved on. */
  public boolean holdsFile() {
    return file != null;
  }

  /**
   * Bytes of the open file past the end of the lines delivered from it (its size asked of the
   * open handle: no path lookup); 0 while none is open, or if its size cannot be read.
   */
  public long lagBytes() {
    return file == null ? 0 : file.lagBytes();
  }

  /**
   * Where the delivered lines end now in the open file, cheaply (no fingerprints): to ask
   * {@link #positionAt} for later, once more lines were delivered. Null while none is open.
   */
  public Mark mark() {
    return file == null ? null : new Mark(file, file.deliveredOffset());
  }

  /**
   * The position at {@code mark}, if the file it was taken in is still the open one (its
   * fingerprints read back from it); empty otherwise, or if that read fails.
   */
  public Optional<Position> positionAt(Mark mark) {
    return mark == null || mark.file != file ? Optional.empty() : file.positionAt(mark.offset);
  }

  /** An offset in one open file, from {@link #mark()}. */
  public static final class Mark {
    private final FramedFile file;
    private final long offset;

    private Mark(FramedFile file, long offset) {
      this.file = file;
      this.offset = offset;
    }
  }

  /**
   * Delivers the held partial last line now, flagged UNTERMINATED, as the flush timeout would: for
   * a caller that stops without resuming later. A follower that will resume need not call it.
   */
  public void flush() {
    if (file != null) {
      file.flush();
    }
  }

  /**
   * Closes the open file. A held partial line is not delivered: it lies after {@link #position()},
   * so a follower resumed from there reads it whole.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    if (file != null) {
      FramedFile f = file;
      file = null;
      opener.release(f.key(), f.position());
      f.close();
    }
  }

  private void failed(IOException e, long now) {
    events.readError(path, e);
    retryAtNanos = now + options.errorBackoff().delay(failures).toNanos();
    failures++;
  }

  /**
   * The handle was closed under us: an interrupt of the polling thread during a read closes a
   * FileChannel for good. The path is opened again at the next poll and resumed from the last
   * delivered line if it still names the same, unchanged file; the held partial line is read again.
   */
  private void reopenLater() {
    if (file != null && !closed) {
      opener.reopenLater(file.key(), file.position());
      file.discard();
      file = null; // its channel is closed already: that is what the exception said
    }
  }

  private boolean open(long now) throws IOException {
    TailedFile f = opener.open();
    if (f == null) {
      return false;
    }
    file = new FramedFile(path, f, framer, buffer, events, options, now);
    events.opened(path, f.key(), f.offset());
    return true;
  }

  /** The path names no file; the open one is kept until the gone timeout passes with no new byte. */
  private void leftBehind(long now) throws IOException {
    if (file.goneQuiet(now)) {
      FileKey key = file.key();
      long offset = file.offset();
      closeFile();
      events.closed(path, key, offset);
    }
  }

  /**
   * Ends the open file: its partial last line is delivered, since nothing will complete it here
   * (a follower that reads the file on under another name starts after it).
   */
  private void closeFile() throws IOException {
    file.finish();
    opener.release(file.key(), file.position());
    FramedFile f = file;
    file = null;
    f.close();
  }
}
