package dev.podkit.configsyncer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Archives built by hand for tests, including ones no honest tool would make. */
final class Archives {
  private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

  /** Adds a regular file. */
  Archives file(String name, String content) {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    tar.writeBytes(TarHeader.file(name, b.length));
    tar.writeBytes(b);
    tar.writeBytes(new byte[(512 - b.length % 512) % 512]);
    return this;
  }

  Archives folder(String name) {
    tar.writeBytes(TarHeader.header(name, 0, '5', ""));
    return this;
  }

  Archives symlink(String name, String target) {
    tar.writeBytes(TarHeader.header(name, 0, '2', target));
    return this;
  }

  Archives hardLink(String name, String target) {
    tar.writeBytes(TarHeader.header(name, 0, '1', target));
    return this;
  }

  Archives device(String name) {
    tar.writeBytes(TarHeader.header(name, 0, '3', ""));
    return this;
  }

  /** The tar with its end marker. */
  byte[] tar() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(tar.toByteArray());
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  byte[] tarGz() {
    return gzip(tar());
  }

  static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A zip of names and contents, alternating; a name ending in / is a folder. */
  static byte[] zip(String... namesAndContents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry(namesAndContents[i]));
        zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
