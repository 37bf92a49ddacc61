package dev.podkit.configsyncer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A downloaded body as it is read: counts its bytes, computes its SHA-256, and fails once more
 * than the limit arrived (a body that never ends is stopped, not buffered).
 */
final class CountingDigestStream extends FilterInputStream {
  private final MessageDigest sha256 = TreeDigest.sha256();
  private final long limit;
  private long count;

  CountingDigestStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count += n;
      if (count > limit) throw new LimitExceeded(limit);
      sha256.update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must be digested too.
    byte[] buf = new byte[(int) Math.min(n, 8192)];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) break;
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads what is left of the body, so the count and digest cover all of it. */
  void drain() throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (read(buf, 0, buf.length) >= 0) {
      // counted and digested by read
    }
  }

  long count() {
    return count;
  }

  /** The SHA-256 of what was read, as lower-case hex; call once, at the end. */
  String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** The body went past the limit. */
  static final class LimitExceeded extends IOException {
    LimitExceeded(long limit) {
      super("download larger than " + limit + " bytes (--max-bytes)");
    }
  }
}
