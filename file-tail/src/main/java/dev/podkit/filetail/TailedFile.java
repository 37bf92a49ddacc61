package dev.podkit.filetail;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One open file being read: its handle, identity and read offset, and the fingerprints that prove
 * the bytes before the offset are still the ones read. Every read re-reads the window before the
 * offset along with the new bytes, so a truncation, even one regrown past the offset, is seen
 * before any new byte is framed.
 */
final class TailedFile implements Closeable {
  static final int HEAD_BYTES = 1024;
  static final int WINDOW_BYTES = 128;
  /** {@link #read} result: the file shrank below the offset or the bytes before it changed. */
  static final int TRUNCATED = -1;

  private final FileKey key;
  private final FileChannel channel;
  /** file[0, readOffset) has been fed to the framer. */
  private long readOffset;
  /** The bytes before readOffset. */
  private final ContentWindow readWindow = new ContentWindow(WINDOW_BYTES);
  /** End of the last delivered line: readOffset less what the framer holds. */
  private long lineEnd;
  /** The bytes before lineEnd. */
  private final ContentWindow lineWindow = new ContentWindow(WINDOW_BYTES);
  /** Hash of file[0, headLength). Invariant: headLength == HEAD_BYTES or headLength >= readOffset. */
  private long headHash = Fnv1a.INIT;
  private int headLength;
  /** While {@link #read} feeds a chunk: the framer, and the chunk's place in the buffer and the file. */
  private LineFramer feeding;
  private byte[] feedBuffer;
  private int feedIndex;
  private long feedOffset;

  private TailedFile(FileKey key, FileChannel channel) {
    this.key = key;
    this.channel = channel;
  }

  /** Opens what {@code path} names, at offset 0; null if it names nothing or changed meanwhile. */
  static TailedFile open(Path path) throws IOException {
    FileKey before = FileKey.at(path);
    if (before == null) {
      return null;
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
    // Java has no fstat: the handle is the file keyed before if the path still names it after.
    FileKey after;
    try {
      after = FileKey.at(path);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (!before.equals(after)) {
      channel.close();
      return null;
    }
    return new TailedFile(before, channel);
  }

  FileKey key() {
    return key;
  }

  long offset() {
    return readOffset;
  }

  /**
   * Where the delivered lines end. Asked while a chunk is being fed (a batch cut between two of
   * its lines), it is the end of the last line delivered so far, not of the last chunk: a restart
   * from it repeats no line that an acknowledged batch holds.
   */
  Position position() {
    long at = deliveredOffset();
    if (at == lineEnd) {
      return new Position(key, lineEnd, headLength, headHash, lineWindow.length(), lineWindow.hash());
    }
    // Mid-read: the bytes before it are those before the chunk, then the chunk up to it.
    ContentWindow window = new ContentWindow(WINDOW_BYTES);
    window.copyFrom(readWindow);
    window.append(feedBuffer, feedIndex, (int) (at - feedOffset));
    return new Position(key, at, headLength, headHash, window.length(), window.hash());
  }

  /** The open file's size now, asked of its handle (no path lookup). */
  long size() throws IOException {
    return channel.size();
  }

  /**
   * Where the delivered lines end now, as {@link #position()}'s offset, without its fingerprints:
   * while a chunk is being fed, past {@code lineEnd} by the lines of it delivered so far.
   */
  long deliveredOffset() {
    LineFramer f = feeding;
    int d = f == null ? -1 : f.deliveredInFeed();
    return d > feedIndex && feedOffset + (d - feedIndex) > lineEnd ? feedOffset + (d - feedIndex) : lineEnd;
  }

  /**
   * The position at {@code offset}, where the delivered lines ended earlier in this file (a
   * {@link #deliveredOffset()} taken then): the bytes before it are read back from the file.
   */
  Position positionAt(long offset) throws IOException {
    if (offset == deliveredOffset()) {
      return position();
    }
    int w = (int) Math.min(offset, WINDOW_BYTES);
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(w);
    while (bytes.hasRemaining() && channel.read(bytes, offset - w + bytes.position()) > 0) {
      // positional reads: the handle's own position, and the reader's buffer, are left alone
    }
    ContentWindow window = new ContentWindow(WINDOW_BYTES);
    window.append(bytes.array(), 0, bytes.position());
    return new Position(key, offset, headLength, headHash, window.length(), window.hash());
  }

  /**
   * Reads up to {@code max} new bytes into {@code framer}. Returns how many, 0 at the end of the
   * file, or {@link #TRUNCATED} (nothing framed) when the bytes before the offset are not the ones
   * read before.
   */
  int read(ReadBuffer rb, int max, LineFramer framer) throws IOException {
    byte[] b = rb.array();
    int w = readWindow.length();
    int got = readAt(rb, readOffset - w, (int) Math.min(b.length, (long) w + max), w + 1);
    if (got < w || !readWindow.matches(b, 0)) {
      return TRUNCATED;
    }
    int n = got - w;
    if (n == 0) {
      return 0;
    }
    long chunkStart = readOffset;
    extendHead(b, w, n);
    readOffset += n;
    feeding = framer;
    feedBuffer = b;
    feedIndex = w;
    feedOffset = chunkStart;
    try {
      framer.feed(b, w, n);
    } finally {
      feeding = null;
      feedBuffer = null;
    }
    long delivered = readOffset - framer.pending();
    if (delivered > lineEnd && delivered >= chunkStart) {
      // The bytes before the new line end: the old read window, then the chunk up to it.
      lineWindow.copyFrom(readWindow);
      lineWindow.append(b, w, (int) (delivered - chunkStart));
      lineEnd = delivered;
    }
    readWindow.append(b, w, n);
    return n;
  }

  /** The framer delivered what it held: the last line now ends at the read offset. */
  void flushed() {
    lineWindow.copyFrom(readWindow);
    lineEnd = readOffset;
  }

  /** Forgets everything read: the file was truncated and is read again from its start. */
  void restart() {
    readOffset = 0;
    lineEnd = 0;
    readWindow.clear();
    lineWindow.clear();
    headHash = Fnv1a.INIT;
    headLength = 0;
  }

  /** Moves to after the last newline in the file's final buffer-full (to 0 if the whole file has none). */
  void seekToEnd(ReadBuffer rb) throws IOException {
    long size = channel.size();
    int len = (int) Math.min(size, rb.array().length);
    int got = readAt(rb, size - len, len, len);
    long at = got == len && len == size ? 0 : size;
    for (int i = got - 1; i >= 0; i--) {
      if (rb.array()[i] == '\n') {
        at = size - len + i + 1;
        break;
      }
    }
    load(rb, at);
  }

  /**
   * Moves to {@code saved} if this file still matches it; otherwise stays at 0 and returns why.
   *
   * <ol>
   *   <li>same device and inode;
   *   <li>at least as long as the saved offset;
   *   <li>same first bytes (an inode reused by a new file differs here);
   *   <li>same bytes before the offset (a file truncated and regrown differs here).
   * </ol>
   */
  String resume(ReadBuffer rb, Position saved) throws IOException {
    if (!saved.file().equals(key)) return "another file (" + key + ", saved " + saved.file() + ")"; // (1)
    long size = channel.size();
    if (size < saved.offset()) return "file shorter than saved offset: " + size + " < " + saved.offset(); // (2)
    byte[] b = rb.array();
    int head = saved.headLength();
    if (head > b.length || readAt(rb, 0, head, head) < head || Fnv1a.update(Fnv1a.INIT, b, 0, head) != saved.headHash()) {
      return "first " + head + " bytes differ"; // (3)
    }
    int tail = saved.tailLength();
    if (tail > b.length || readAt(rb, saved.offset() - tail, tail, tail) < tail
        || Fnv1a.update(Fnv1a.INIT, b, 0, tail) != saved.tailHash()) {
      return tail + " bytes before offset " + saved.offset() + " differ"; // (4)
    }
    load(rb, saved.offset());
    return null;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Sets both offsets to {@code at} and reads the window before it and the head. */
  private void load(ReadBuffer rb, long at) throws IOException {
    restart();
    byte[] b = rb.array();
    int w = (int) Math.min(at, WINDOW_BYTES);
    int got = readAt(rb, at - w, w, w);
    readWindow.append(b, 0, got);
    lineWindow.copyFrom(readWindow);
    readOffset = at;
    lineEnd = at;
    // The head covers what the file holds now; below HEAD_BYTES that reaches the offset.
    int head = (int) Math.min(channel.size(), HEAD_BYTES);
    got = readAt(rb, 0, head, head);
    headHash = Fnv1a.update(Fnv1a.INIT, b, 0, got);
    headLength = got;
  }

  private void extendHead(byte[] b, int off, int n) {
    // headLength < readOffset only if the file shrank under load(); the head then stays as is.
    if (headLength < HEAD_BYTES && headLength >= readOffset && readOffset + n > headLength) {
      int from = (int) (headLength - readOffset);
      int to = (int) Math.min(n, HEAD_BYTES - readOffset);
      headHash = Fnv1a.update(headHash, b, off + from, to - from);
      headLength = (int) (readOffset + to);
    }
  }

  /** Reads {@code file[pos, pos + len)} into the buffer's start, stopping early once {@code enough} are in. */
  private int readAt(ReadBuffer rb, long pos, int len, int enough) throws IOException {
    int got = 0;
    while (got < len) {
      int r = channel.read(rb.view(got, len), pos + got);
      if (r <= 0) {
        break;
      }
      got += r;
      if (got >= enough) {
        break;
      }
    }
    return got;
  }
}
