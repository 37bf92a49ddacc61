package dev.podkit.tcpambassador;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One TLS context made from files (certificate, key, CA), rebuilt when one of them changes.
 * The context in use is swapped whole: a connection takes the context of the moment it starts,
 * so open connections keep theirs and new ones get the new files. Files that are half written or
 * bad when checked leave the previous context in use.
 *
 * <p>Changes are found by content, not modification time: a Secret volume replaces its files
 * through a symlink swap that may keep times, and a rewrite within one second keeps them too.
 *
 * <p>BoringSSL contexts are reference-counted (native memory, freed at zero, no finalizer): this
 * class holds one reference to the context in use and gives it up when a reload replaces it; each
 * engine holds one of its own while its connection is open, so a replaced context is freed once
 * its last connection closes.
 */
abstract class ReloadingTls {
  /** What one load made: the context, and per role (as {@code upstream_client}) when its certificates expire. */
  record Loaded(SslContext context, Map<String, Long> notAfterEpochSeconds) {}

  /** A file this context is made from, and how problems name it (as {@code TLS certificate}). */
  record Source(String label, Path file) {}

  /** A certificate chain and the private key that matches its first certificate. */
  record CertAndKey(List<X509Certificate> chain, PrivateKey key) {
    X509Certificate[] chainArray() { return chain.toArray(X509Certificate[]::new); }

    long notAfterEpochSeconds() { return chain.getFirst().getNotAfter().toInstant().getEpochSecond(); }
  }

  private final String what;
  private final List<Source> sources;
  protected final SslProvider provider;
  private byte[][] contents;
  private volatile Loaded loaded;
  /** Held while the context in use is swapped, and while a new connection takes its reference. */
  private final Object swap = new Object();

  /** {@code what} names the context in messages (as {@code :6379}); null files are left out of {@code sources}. */
  ReloadingTls(String what, List<Source> sources, SslProvider provider) {
    this.what = what;
    this.sources = sources.stream().filter(s -> s.file() != null).toList();
    this.provider = provider;
  }

  /**
   * Builds the context from the files' contents (by path; a file that could not be read has no
   * entry and was reported already); every problem goes to {@code problems}.
   */
  protected abstract Loaded build(Map<Path, byte[]> contents, Map<Path, String> labels, List<String> problems);

  /**
   * The certificates of {@code file} among {@code contents}; null when it has no entry (its read
   * failed, reported already) or holds no usable certificate (reported to {@code problems}).
   */
  static List<X509Certificate> certificates(Path file, Map<Path, byte[]> contents, Map<Path, String> labels,
      List<String> problems) {
    if (!contents.containsKey(file)) return null;
    try {
      return TlsFiles.certificates(file, contents.get(file));
    } catch (TlsFiles.Bad e) {
      problems.add(labels.get(file) + " " + e.getMessage());
      return null;
    }
  }

  /**
   * The chain of {@code certFile} and the key of {@code keyFile} (the certificate file itself when
   * null), checked to belong together; null, with the problems reported, when either is unusable.
   */
  static CertAndKey certAndKey(Path certFile, Path keyFile, Map<Path, byte[]> contents, Map<Path, String> labels,
      List<String> problems) {
    Path keyPath = keyFile != null ? keyFile : certFile;
    List<X509Certificate> chain = certificates(certFile, contents, labels, problems);
    PrivateKey key = null;
    try {
      if (contents.containsKey(keyPath)) key = TlsFiles.key(keyPath, contents.get(keyPath));
      if (chain != null && key != null) TlsFiles.checkPair(chain.getFirst(), key, certFile, keyPath);
    } catch (TlsFiles.Bad e) {
      problems.add(labels.get(keyPath) + " " + e.getMessage());
      return null;
    }
    return chain == null || key == null ? null : new CertAndKey(chain, key);
  }

  /** Loads the files for the first time; false (and the problems listed) when they cannot be used. */
  final boolean load(List<String> problems) {
    int before = problems.size();
    byte[][] now = new byte[sources.size()][];
    Map<Path, byte[]> byPath = new LinkedHashMap<>();
    Map<Path, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      Source s = sources.get(i);
      labels.put(s.file(), what + " " + s.label());
      try {
        now[i] = TlsFiles.read(s.file());
        byPath.put(s.file(), now[i]);
      } catch (TlsFiles.Bad e) {
        problems.add(what + " " + s.label() + " " + e.getMessage());
      }
    }
    // Built even when a file is missing, so that the others' problems are listed too.
    Loaded l = build(byPath, labels, problems);
    if (l == null || problems.size() > before) {
      if (l != null) ReferenceCountUtil.release(l.context());
      return false;
    }
    contents = now;
    Loaded replaced;
    synchronized (swap) {
      replaced = loaded;
      loaded = l;
    }
    if (replaced != null) ReferenceCountUtil.release(replaced.context());
    return true;
  }

  /**
   * Loads the files again if one of them changed; returns true when a new context is in use.
   * Throws with every problem when the changed files cannot be used (the old context stays).
   */
  final synchronized boolean reloadIfChanged() throws TlsFiles.Bad {
    boolean changed = false;
    for (int i = 0; i < sources.size() && !changed; i++) {
      changed = !Arrays.equals(contents[i], TlsFiles.read(sources.get(i).file()));
    }
    if (!changed) {
      return false;
    }
    List<String> problems = new ArrayList<>();
    if (!load(problems)) {
      throw new TlsFiles.Bad(String.join("; ", problems));
    }
    return true;
  }

  /**
   * What {@code make} makes of the context for new connections (an engine, which takes its own
   * reference); a reload meanwhile releases that context only after {@code make} returns.
   */
  final <T> T withContext(Function<SslContext, T> make) {
    SslContext c;
    synchronized (swap) {
      c = loaded.context();
      ReferenceCountUtil.retain(c);
    }
    try {
      return make.apply(c);
    } finally {
      ReferenceCountUtil.release(c);
    }
  }

  /** The roles whose expiry is known (fixed after the first load). */
  final java.util.Set<String> roles() {
    return loaded.notAfterEpochSeconds().keySet();
  }

  /** When the certificates of {@code role} expire (the earliest), seconds since the epoch; 0 when unknown. */
  final long notAfterEpochSeconds(String role) {
    Long t = loaded.notAfterEpochSeconds().get(role);
    return t == null ? 0 : t;
  }
}
