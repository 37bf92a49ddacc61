package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking real archive bytes into a real staging folder: good archives, and malicious ones refused. */
class UnpackerIT {
  private static final Limits LIMITS = new Limits(1 << 20, 100);

  @TempDir Path dir;

  private Staging staging(Limits limits) {
    return new Staging(dir, limits, new Cancellation());
  }

  private Staging unpack(byte[] body, Unpacker.Format format) throws Exception {
    Staging s = staging(LIMITS);
    Unpacker.unpack(new ByteArrayInputStream(body), format, "config.json", s);
    s.finish();
    return s;
  }

  private SyncFailure refused(byte[] body, SyncFailure.Reason reason) {
    SyncFailure e = assertThrows(SyncFailure.class, () -> unpack(body, Unpacker.Format.AUTO));
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  @Test
  void tarGz_filesFoldersAndInsideLinks_unpackedAsPlainFiles() throws Exception {
    byte[] body = new Archives().folder("./").folder("./conf.d/").file("./conf.d/a.conf", "a")
        .file("index.html", "<h1>hi</h1>").symlink("conf.d/b.conf", "a.conf").hardLink("copy.html", "index.html")
        .symlink("up.conf", "conf.d/../conf.d/a.conf").tarGz();

    Staging s = unpack(body, Unpacker.Format.AUTO);

    assertEquals("a", Files.readString(dir.resolve("conf.d/a.conf")));
    assertEquals("a", Files.readString(dir.resolve("conf.d/b.conf")));
    assertEquals("a", Files.readString(dir.resolve("up.conf")));
    assertEquals("<h1>hi</h1>", Files.readString(dir.resolve("copy.html")));
    try (Stream<Path> all = Files.walk(dir)) {
      assertTrue(all.noneMatch(Files::isSymbolicLink), "no symlink is ever created");
    }
    assertEquals(6, s.entries());
  }

  @Test
  void zip_filesAndFolders_unpacked() throws Exception {
    unpack(Archives.zip("site/", "", "site/index.html", "zip", "app.yaml", "a: 1"), Unpacker.Format.AUTO);

    assertEquals("zip", Files.readString(dir.resolve("site/index.html")));
    assertEquals("a: 1", Files.readString(dir.resolve("app.yaml")));
  }

  @Test
  void plainBody_writtenAsTheNamedFile() throws Exception {
    unpack("{\"a\":1}".getBytes(), Unpacker.Format.AUTO);

    assertEquals("{\"a\":1}", Files.readString(dir.resolve("config.json")));
  }

  @Test
  void gzipOfAPlainFile_writtenUncompressed() throws Exception {
    Staging s = staging(LIMITS);
    Unpacker.unpack(new ByteArrayInputStream(Archives.gzip("hello".getBytes())), Unpacker.Format.AUTO, "a.txt.gz", s);

    assertEquals("hello", Files.readString(dir.resolve("a.txt")));
  }

  @Test
  void zipSlip_dotDotAndAbsoluteNames_refused() {
    refused(Archives.zip("../evil.sh", "x"), SyncFailure.Reason.UNSAFE_PATH);
    refused(Archives.zip("ok/../../evil.sh", "x"), SyncFailure.Reason.UNSAFE_PATH);
    refused(new Archives().file("/etc/cron.d/evil", "x").tarGz(), SyncFailure.Reason.UNSAFE_PATH);
    refused(new Archives().file("a/../../evil", "x").tar(), SyncFailure.Reason.UNSAFE_PATH);
    refused(new Archives().file("..data/evil", "x").tarGz(), SyncFailure.Reason.UNSAFE_PATH);
    assertFalse(Files.exists(dir.getParent().resolve("evil.sh")));
  }

  @Test
  void symlinkEscape_outwardAbsoluteOrToAFolder_refused() {
    assertTrue(refused(new Archives().symlink("passwd", "../../../etc/passwd").tarGz(), SyncFailure.Reason.UNSAFE_PATH)
        .getMessage().contains("outside"));
    refused(new Archives().symlink("passwd", "/etc/passwd").tarGz(), SyncFailure.Reason.UNSAFE_PATH);
    refused(new Archives().folder("d/").symlink("d/x", "../../x").tarGz(), SyncFailure.Reason.UNSAFE_PATH);
    refused(new Archives().folder("d/").file("d/f", "x").symlink("alias", "d").tarGz(), SyncFailure.Reason.UNSAFE_PATH);
    refused(new Archives().hardLink("h", "../outside").tarGz(), SyncFailure.Reason.UNSAFE_PATH);
    refused(new Archives().device("null").tarGz(), SyncFailure.Reason.UNSAFE_PATH);
  }

  @Test
  void duplicateEntry_refused() {
    refused(new Archives().file("a", "1").file("a", "2").tarGz(), SyncFailure.Reason.FORMAT);
  }

  @Test
  void tooManyFiles_refusedAtTheLimit() {
    Archives a = new Archives();
    for (int i = 0; i < 101; i++) a.file("f" + i, "x");
    assertTrue(refused(a.tarGz(), SyncFailure.Reason.LIMIT).getMessage().contains("--max-files"));
  }

  @Test
  void hugeFileInAGzipBomb_stoppedAtTheLimitWithoutReadingItAll() throws Exception {
    // 1 GiB of zeros in one tar entry, gzipped to about 1 MiB, streamed: never in memory.
    long size = 1L << 30;
    Path bomb = dir.resolveSibling(dir.getFileName() + "-bomb.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16)) {
      out.write(TarHeader.file("zeros.bin", size));
      byte[] zeros = new byte[1 << 16];
      for (long n = 0; n < size; n += zeros.length) out.write(zeros);
      out.write(new byte[1024]);
    }
    CountingInput in = new CountingInput(Files.newInputStream(bomb));
    Staging s = staging(new Limits(4 << 20, 100));

    SyncFailure e = assertThrows(SyncFailure.class, () -> Unpacker.unpack(in, Unpacker.Format.AUTO, "x", s));

    assertEquals(SyncFailure.Reason.LIMIT, e.reason());
    assertTrue(in.count < Files.size(bomb) / 4, "read " + in.count + " of " + Files.size(bomb) + " compressed bytes");
    assertTrue(Files.size(dir.resolve("zeros.bin")) <= 4 << 20);
    Files.delete(bomb);
  }

  @Test
  void truncatedTarGz_refusedNotTakenAsComplete() {
    byte[] whole = new Archives().file("a.txt", "x".repeat(5000)).file("b.txt", "y").tarGz();
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);

    Exception e = assertThrows(Exception.class, () -> unpack(cut, Unpacker.Format.AUTO));

    assertTrue(e instanceof IOException || e instanceof SyncFailure, e.toString());
  }

  @Test
  void tarWithoutEndMarker_refused() {
    byte[] tar = new Archives().file("a.txt", "x").tar();
    refused(Arrays.copyOf(tar, tar.length - 1024), SyncFailure.Reason.FORMAT);
  }

  @Test
  void tarWithBadChecksum_refusedAsFormat() {
    byte[] tar = new Archives().file("a.txt", "x").tar();
    tar[0] = 'b';
    SyncFailure e = assertThrows(SyncFailure.class, () -> unpack(tar, Unpacker.Format.TAR));
    assertEquals(SyncFailure.Reason.FORMAT, e.reason());
  }

  @Test
  void cancelled_stopsBetweenChunks() {
    Cancellation c = new Cancellation();
    c.cancel();
    Staging s = new Staging(dir, LIMITS, c);
    SyncFailure e = assertThrows(SyncFailure.class,
        () -> Unpacker.unpack(new ByteArrayInputStream(new byte[100_000]), Unpacker.Format.FILE, "x", s));
    assertEquals(SyncFailure.Reason.CANCELLED, e.reason());
  }

  /** Counts bytes read from a stream. */
  private static final class CountingInput extends InputStream {
    private final InputStream in;
    long count;

    CountingInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) count++;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) count += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  @SuppressWarnings("unused")
  private static List<String> names(Path root) throws IOException {
    try (Stream<Path> w = Files.walk(root)) {
      return w.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}
