package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.podkit.filetail.LineFlags;
import dev.podkit.filetail.LineFramer;
import dev.podkit.filetail.LineSink;
import dev.podkit.filetail.LongLines;
import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.LineEncoder;
import dev.podkit.logshipper.Metadata;
import dev.podkit.logshipper.Sink;
import dev.podkit.runtime.JsonOut;
import dev.podkit.testfixtures.FakeTicker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sinks' line encoders (lines written straight into a batch body, whole lines a block at a
 * time) against the event path (a framed line, an Event, the sink writing it), on the same input
 * framed from the same random pieces: the same bytes out and the same counts. Raw lines are
 * compared with the pieces as {@code tail} prints them (a newline only where the file had one),
 * and in split mode with the input itself.
 */
class LineEncoderTest {
  private static final String[] PIECES = {" ", "\"", "\\", "\r", "\r\n", "\n", "\n", "\t", "\u0001", "\u001b[31m",
      "é", "日本", "🎉", "GET /index.html HTTP/1.1", "\u00ff", "\u2028"};
  private static final String PATH = "/var/log/app/a \"b\".log";
  private static final long READ_NANOS = 1_733_500_000_123_456_789L;
  private static final Metadata METADATA = new Metadata("web-1", "prod", null, "nginx");

  /** A sink of each kind that has an encoder; the HTTP sink's is the JSON one of stdout. */
  private static List<Sink> sinks(ByteArrayOutputStream out) {
    FakeTicker t = new FakeTicker();
    return List.of(new StdoutSink(out, StdoutSink.Mode.RAW, METADATA, t, new RecordingSinkEvents()),
        new StdoutSink(out, StdoutSink.Mode.JSON, METADATA, t, new RecordingSinkEvents()),
        new StdoutSink(out, StdoutSink.Mode.JSON, Metadata.NONE, t, new RecordingSinkEvents()));
  }

  @Test
  void encoder_anyInputInAnyPieces_writesAndCountsExactlyWhatTheEventPathDoes() throws Exception {
    Random random = new Random(7);
    for (int round = 0; round < 400; round++) {
      byte[] input = input(random);
      int maxLine = 16 + random.nextInt(random.nextBoolean() ? 64 : 400);
      LongLines mode = random.nextBoolean() ? LongLines.SPLIT : LongLines.TRUNCATE;
      long seed = random.nextLong();
      for (int kind = 0; kind < 3; kind++) {
        ByteArrayOutputStream viaEvents = new ByteArrayOutputStream();
        ByteArrayOutputStream viaBody = new ByteArrayOutputStream();
        Sink eventSink = sinks(viaEvents).get(kind);
        Sink bodySink = sinks(viaBody).get(kind);

        // As the shipper sets it up: raw stdout keeps CRs, as tail does; the JSON encoders drop them.
        LineEncoder encoder = bodySink.encoder();
        boolean stripCr = !encoder.keepsCr();
        List<Event> events = new ArrayList<>();
        ByteArrayOutputStream rawPieces = new ByteArrayOutputStream();
        frame(input, maxLine, mode, stripCr, new Random(seed), (buf, s, e, flags) -> {
          events.add(new Event(Arrays.copyOfRange(buf, s, e), READ_NANOS, PATH, null,
              (flags & (LineFlags.CUT | LineFlags.TRUNCATED)) != 0));
          rawPieces.write(buf, s, e - s);
          if ((flags & (LineFlags.CUT | LineFlags.UNTERMINATED)) == 0) {
            rawPieces.write('\n');
          }
        });
        Batch expected = Batch.of(events);
        String want;
        if (kind == 0) {
          // Raw lines as tail prints them: a piece no newline ended gets none, unlike an event.
          want = rawPieces.toString(StandardCharsets.ISO_8859_1);
          if (mode == LongLines.SPLIT) {
            assertEquals(new String(input, StandardCharsets.ISO_8859_1), want,
                "round " + round + ": split lines and flushed partial lines print the file's bytes");
          }
        } else {
          eventSink.deliver(expected);
          want = viaEvents.toString(StandardCharsets.ISO_8859_1);
        }

        JsonOut body = new JsonOut();
        frame(input, maxLine, mode, stripCr, new Random(seed), new Blocks(encoder, body));
        Batch actual = Batch.encoded(new Batch.Body(body, (int) encoder.linesWritten(), encoder.bytesWritten()));
        bodySink.deliver(actual);

        String where = "round " + round + " sink " + kind;
        assertEquals(want, viaBody.toString(StandardCharsets.ISO_8859_1), where);
        assertEquals(expected.lines(), actual.lines(), where);
        assertEquals(expected.bytes(), actual.bytes(), where);
      }
    }
  }

  /** Random lines from tricky pieces, short and long, with a byte or two of broken UTF-8 maybe. */
  private static byte[] input(Random random) {
    StringBuilder text = new StringBuilder();
    int pieces = random.nextInt(500);
    for (int k = 0; k < pieces; k++) {
      int r = random.nextInt(4);
      text.append(r == 0 ? "a".repeat(random.nextInt(random.nextInt(10) == 0 ? 2000 : 120))
          : PIECES[random.nextInt(PIECES.length)]);
    }
    byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
    for (int k = random.nextInt(3); k > 0 && input.length > 0; k--) {
      input[random.nextInt(input.length)] = (byte) (0x80 + random.nextInt(0x80));
    }
    return input;
  }

  /**
   * Feeds {@code input} to a framer in random pieces, each copied into a buffer at an offset as a
   * reader's is, flushing a partial line now and then as the flush timeout does; finishes at the end.
   */
  private static void frame(byte[] input, int maxLine, LongLines mode, boolean stripCr, Random random, LineSink sink) {
    LineFramer framer = new LineFramer(maxLine, mode, stripCr, sink);
    byte[] buf = new byte[input.length + 64];
    for (int at = 0; at < input.length; ) {
      int n = Math.min(input.length - at, 1 + random.nextInt(random.nextBoolean() ? 50 : 3000));
      int off = random.nextInt(64);
      Arrays.fill(buf, (byte) '\n'); // bytes around the piece must not be read
      System.arraycopy(input, at, buf, off, n);
      framer.feed(buf, off, n);
      at += n;
      if (random.nextInt(20) == 0) {
        framer.flush();
      }
    }
    framer.finish();
  }

  /** What the shipper's tailing thread does with an encoder: blocks first, the rest line by line. */
  private record Blocks(LineEncoder encoder, JsonOut body) implements LineSink {
    @Override
    public boolean keepsCr() {
      return encoder.keepsCr();
    }

    @Override
    public void line(byte[] buf, int start, int end, int flags) {
      encoder.line(buf, start, end, PATH, READ_NANOS, flags, body);
    }

    @Override
    public boolean takesBlocks() {
      return true;
    }

    @Override
    public int lines(byte[] buf, int start, int end, int maxLineBytes) {
      return encoder.lines(buf, start, end, maxLineBytes, PATH, READ_NANOS, body);
    }
  }
}
