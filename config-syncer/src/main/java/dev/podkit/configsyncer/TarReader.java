package dev.podkit.configsyncer;

import dev.podkit.configsyncer.SyncFailure.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streaming reader of tar archives (POSIX ustar, pax extended headers, GNU long names), one
 * entry at a time, each entry's content read straight from the underlying stream. Headers are
 * checked by their checksum; a stream that ends inside an entry is an error, so a truncated
 * download is never taken for a complete archive.
 */
final class TarReader {
  private static final int BLOCK = 512;
  /** The largest pax header or GNU long name accepted: they are held in memory. */
  private static final int MAX_META = 64 * 1024;

  /** Entry kinds. */
  enum Type { FILE, FOLDER, SYMLINK, HARDLINK }

  /** One entry: its kind, name, link target (for links) and content size. */
  record Entry(Type type, String name, String linkName, long size) {}

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private long remaining;
  private long padding;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the archive's end; the previous entry's unread content is skipped. */
  Entry next() throws IOException, SyncFailure {
    skipRest();
    String longName = null;
    String longLink = null;
    String paxPath = null;
    String paxLink = null;
    long paxSize = -1;
    while (true) {
      if (!readBlock(header)) {
        throw new SyncFailure(Reason.FORMAT, "tar archive ends without its end marker");
      }
      if (allZero(header)) {
        return null;
      }
      checkChecksum();
      char flag = (char) header[156];
      long size = number(124, 12);
      switch (flag) {
        case 'x' -> {
          for (String[] kv : paxRecords(meta(size))) {
            switch (kv[0]) {
              case "path" -> paxPath = kv[1];
              case "linkpath" -> paxLink = kv[1];
              case "size" -> paxSize = parseSize(kv[1]);
              default -> { }
            }
          }
        }
        case 'g' -> meta(size); // global pax header: nothing in it matters here
        case 'L' -> longName = cString(meta(size), 0, (int) size);
        case 'K' -> longLink = cString(meta(size), 0, (int) size);
        default -> {
          String name = paxPath != null ? paxPath : longName != null ? longName : ustarName();
          String link = paxLink != null ? paxLink : longLink != null ? longLink : cString(header, 157, 100);
          if (paxSize >= 0) size = paxSize;
          Type type = switch (flag) {
            case '0', '\0', '7' -> Type.FILE;
            case '5' -> Type.FOLDER;
            case '2' -> Type.SYMLINK;
            case '1' -> Type.HARDLINK;
            default -> throw new SyncFailure(Reason.UNSAFE_PATH,
                "tar entry " + name + " is not a file, folder or link (type '" + flag + "')");
          };
          if (type != Type.FILE) size = 0;
          remaining = size;
          padding = (BLOCK - size % BLOCK) % BLOCK;
          return new Entry(type, name, link, size);
        }
      }
    }
  }

  /** The current entry's content; reading past its end answers end of stream. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) return -1;
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) throw new EOFException("tar entry cut short");
        remaining -= n;
        return n;
      }
    };
  }

  private void skipRest() throws IOException {
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private void skip(long n) throws IOException {
    byte[] buf = new byte[BLOCK];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) throw new EOFException("tar archive cut short");
      n -= r;
    }
  }

  /** Reads a whole metadata entry (pax header, long name) and its padding. */
  private byte[] meta(long size) throws IOException, SyncFailure {
    if (size > MAX_META) throw new SyncFailure(Reason.FORMAT, "tar metadata entry of " + size + " bytes");
    byte[] b = in.readNBytes((int) size);
    if (b.length < size) throw new EOFException("tar archive cut short");
    skip((BLOCK - size % BLOCK) % BLOCK);
    return b;
  }

  private boolean readBlock(byte[] b) throws IOException {
    int n = in.readNBytes(b, 0, BLOCK);
    if (n == 0) return false;
    if (n < BLOCK) throw new EOFException("tar archive cut short in a header");
    return true;
  }

  private String ustarName() {
    String name = cString(header, 0, 100);
    boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';
    String prefix = ustar ? cString(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private void checkChecksum() throws SyncFailure, IOException {
    long want = number(148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
    }
    if (sum != want) throw new SyncFailure(Reason.FORMAT, "not a tar archive (header checksum)");
  }

  /** An octal field, or GNU's base-256 form for large sizes. */
  private long number(int off, int len) throws SyncFailure {
    if ((header[off] & 0x80) != 0) {
      long v = header[off] & 0x7f;
      for (int i = off + 1; i < off + len; i++) {
        if (v >>> 55 != 0) throw new SyncFailure(Reason.FORMAT, "tar number too large");
        v = v << 8 | (header[i] & 0xff);
      }
      return v;
    }
    int i = off;
    int end = off + len;
    while (i < end && (header[i] == ' ' || header[i] == 0)) i++;
    long v = 0;
    for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
      byte c = header[i];
      if (c < '0' || c > '7') throw new SyncFailure(Reason.FORMAT, "not a tar archive (bad number field)");
      v = v * 8 + (c - '0');
    }
    return v;
  }

  private static long parseSize(String s) throws SyncFailure {
    try {
      long v = Long.parseLong(s.strip());
      if (v < 0) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new SyncFailure(Reason.FORMAT, "bad pax size: " + s);
    }
  }

  /** The "length key=value\n" records of a pax header; each length counts the record's bytes. */
  private static java.util.List<String[]> paxRecords(byte[] pax) throws SyncFailure {
    java.util.List<String[]> out = new java.util.ArrayList<>();
    int i = 0;
    while (i < pax.length) {
      int space = i;
      int len = 0;
      while (space < pax.length && pax[space] >= '0' && pax[space] <= '9' && len < MAX_META) {
        len = len * 10 + (pax[space++] - '0');
      }
      if (space >= pax.length || pax[space] != ' ' || len <= space - i || i + len > pax.length || pax[i + len - 1] != '\n') {
        throw new SyncFailure(Reason.FORMAT, "bad pax header");
      }
      String record = new String(pax, space + 1, i + len - 1 - (space + 1), StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq <= 0) throw new SyncFailure(Reason.FORMAT, "bad pax record");
      out.add(new String[] {record.substring(0, eq), record.substring(eq + 1)});
      i += len;
    }
    return out;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) end++;
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) return false;
    }
    return true;
  }
}
