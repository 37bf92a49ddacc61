package dev.podkit.logadapter;

import dev.podkit.filetail.FileFollower;
import dev.podkit.filetail.LineFlags;
import dev.podkit.filetail.LineSink;
import dev.podkit.filetail.LongLines;
import dev.podkit.filetail.MultilineJoiner;
import dev.podkit.filetail.MultilineOptions;
import dev.podkit.filetail.ReadBuffer;
import dev.podkit.filetail.Start;
import dev.podkit.filetail.TailEvents;
import dev.podkit.filetail.TailOptions;
import dev.podkit.runtime.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Follows one file by name with the shared {@link FileFollower} (rotation by rename and
 * copytruncate, delete and recreate), optionally joining multiline events, and polls it every
 * poll interval while it is idle. On stop it reads the file to its current end first.
 */
final class FileInput implements Input {
  private final Path path;
  private final Start start;
  private final TailOptions options;
  private final MultilineOptions multiline;
  private final Duration pollInterval;
  private final Ticker ticker;
  private final TailEvents events;

  FileInput(Path path, Start start, TailOptions options, MultilineOptions multiline, Duration pollInterval,
      Ticker ticker, TailEvents events) {
    this.path = path;
    this.start = start;
    this.options = options;
    this.multiline = multiline;
    this.pollInterval = pollInterval;
    this.ticker = ticker;
    this.events = events;
  }

  static FileInput of(LogAdapterConfig c, TailEvents events) {
    TailOptions options = TailOptions.defaults().withMaxLineBytes(c.maxLineBytes(), LongLines.TRUNCATE);
    MultilineOptions multiline = c.multilineStart() == null ? null
        : new MultilineOptions(c.multilineStart(), c.multilineMaxLines(), c.maxLineBytes(), c.multilineTimeout());
    return new FileInput(c.input(), c.fromEnd() ? Start.end() : Start.beginning(), options, multiline,
        c.pollInterval(), Ticker.system(), events);
  }

  @Override
  public void run(Adapter adapter, BooleanSupplier stop) throws IOException {
    LineSink toAdapter = (buf, s, e, flags) -> {
      try {
        adapter.line(buf, s, e, (flags & (LineFlags.TRUNCATED | LineFlags.CUT)) != 0);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    };
    MultilineJoiner joiner = multiline == null ? null : new MultilineJoiner(multiline, ticker, toAdapter);
    try (FileFollower follower = new FileFollower(path, start, options, new ReadBuffer(1 << 20), ticker,
        joiner == null ? toAdapter : joiner, events)) {
      while (true) {
        // Read the stop flag before polling: a stop then still reads the file to its end.
        boolean stopping = stop.getAsBoolean();
        int n = follower.poll();
        if (joiner != null) {
          joiner.poll();
        }
        if (n == 0) {
          if (stopping) {
            break;
          }
          adapter.idle();
          ticker.sleep(pollInterval);
        }
      }
      // No checkpoint to resume from: a partial last line is written now rather than never.
      follower.flush();
      if (joiner != null) {
        joiner.flush();
      }
      adapter.end();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      adapter.end();
    }
  }
}
