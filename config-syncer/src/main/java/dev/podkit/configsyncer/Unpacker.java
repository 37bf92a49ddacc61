package dev.podkit.configsyncer;

import dev.podkit.configsyncer.SyncFailure.Reason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a downloaded body into a {@link Staging} folder as it streams in: a tar archive
 * (optionally gzip-compressed), a zip archive, or a single file. With {@link Format#AUTO} the kind
 * is told by the first bytes (gzip and zip magic numbers, the ustar mark), not by a name or a
 * Content-Type that may lie.
 */
final class Unpacker {
  /** What the body is. */
  enum Format { AUTO, TAR_GZ, TAR, ZIP, FILE }

  private Unpacker() {}

  /**
   * Unpacks {@code body} into {@code staging}; a single file is named {@code fileName}. Reads the
   * archive to its end marker, not necessarily the body to its end.
   */
  static void unpack(InputStream body, Format format, String fileName, Staging staging) throws IOException, SyncFailure {
    BufferedInputStream in = new BufferedInputStream(body, 64 * 1024);
    Format f = format == Format.AUTO ? detect(in) : format;
    try {
      switch (f) {
        case TAR_GZ -> {
          BufferedInputStream inner = new BufferedInputStream(new GZIPInputStream(in, 64 * 1024), 64 * 1024);
          if (format == Format.AUTO && !looksLikeTar(inner)) {
            staging.file(stripGz(fileName), inner); // a single gzip-compressed file
          } else {
            untar(inner, staging);
          }
        }
        case TAR -> untar(in, staging);
        case ZIP -> unzip(in, staging);
        case FILE, AUTO -> staging.file(fileName, in);
      }
    } catch (ZipException e) {
      throw new SyncFailure(Reason.FORMAT, "damaged " + (f == Format.ZIP ? "zip" : "gzip") + " data: " + e.getMessage());
    }
  }

  private static void untar(InputStream in, Staging staging) throws IOException, SyncFailure {
    TarReader tar = new TarReader(in);
    TarReader.Entry e;
    while ((e = tar.next()) != null) {
      staging.cancellation().check();
      if (e.name().equals(".") || e.name().equals("./")) continue;
      switch (e.type()) {
        case FILE -> staging.file(e.name(), tar.content());
        case FOLDER -> staging.folder(e.name());
        case SYMLINK -> staging.symlink(e.name(), e.linkName());
        case HARDLINK -> staging.hardLink(e.name(), e.linkName());
      }
    }
  }

  /**
   * Reads zip entries in stream order. Unix symlinks in a zip are kept in the central directory's
   * attributes, which a stream does not see: such an entry is written as a plain file holding the
   * link's text, which cannot point anywhere.
   */
  private static void unzip(InputStream in, Staging staging) throws IOException, SyncFailure {
    ZipInputStream zip = new ZipInputStream(in);
    ZipEntry e;
    boolean any = false;
    while ((e = zip.getNextEntry()) != null) {
      any = true;
      staging.cancellation().check();
      if (e.isDirectory()) {
        staging.folder(e.getName());
      } else {
        staging.file(e.getName(), zip);
      }
    }
    if (!any) throw new SyncFailure(Reason.FORMAT, "zip archive without entries, or not a zip archive");
  }

  private static Format detect(BufferedInputStream in) throws IOException {
    in.mark(512);
    byte[] head = in.readNBytes(512);
    in.reset();
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return Format.TAR_GZ;
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return Format.ZIP;
    if (hasUstarMark(head)) return Format.TAR;
    return Format.FILE;
  }

  private static boolean looksLikeTar(BufferedInputStream in) throws IOException {
    in.mark(512);
    byte[] head = in.readNBytes(512);
    in.reset();
    if (hasUstarMark(head)) return true;
    if (head.length < 512) return false;
    long sum = 0;
    for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : head[i] & 0xff;
    String field = new String(head, 148, 8, java.nio.charset.StandardCharsets.US_ASCII).replace('\0', ' ').strip();
    try {
      return !field.isEmpty() && Long.parseLong(field, 8) == sum;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean hasUstarMark(byte[] head) {
    return head.length >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a'
        && head[261] == 'r';
  }

  private static String stripGz(String name) {
    return name.endsWith(".gz") && name.length() > 3 ? name.substring(0, name.length() - 3) : name;
  }
}
