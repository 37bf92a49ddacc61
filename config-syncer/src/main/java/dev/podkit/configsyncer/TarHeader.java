package dev.podkit.configsyncer;

import java.nio.charset.StandardCharsets;

/**
 * Writes ustar headers: for the AOT training run's archive and for tests that build archives by
 * hand (including ones no honest tool would make).
 */
final class TarHeader {
  private TarHeader() {}

  /** A regular file's header. */
  static byte[] file(String name, long size) {
    return header(name, size, '0', "");
  }

  /** A header of any type ({@code '2'} symlink, {@code '5'} folder...) with a link name. */
  static byte[] header(String name, long size, char type, String linkName) {
    byte[] h = new byte[512];
    put(h, 0, 100, name);
    put(h, 100, 8, "0000644");
    put(h, 108, 8, "0000000");
    put(h, 116, 8, "0000000");
    put(h, 124, 12, String.format("%011o", size));
    put(h, 136, 12, "00000000000");
    h[156] = (byte) type;
    put(h, 157, 100, linkName);
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    for (int i = 148; i < 156; i++) h[i] = ' ';
    long sum = 0;
    for (byte b : h) sum += b & 0xff;
    put(h, 148, 8, String.format("%06o", sum) + "\0 ");
    return h;
  }

  private static void put(byte[] h, int off, int len, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, off, Math.min(len, b.length));
  }
}
