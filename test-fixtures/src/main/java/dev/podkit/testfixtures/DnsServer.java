package dev.podkit.testfixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server over UDP on 127.0.0.1 for tests: A and AAAA records the test
 * sets and changes while it runs ({@link #answer}), each with its TTL. Other names get NXDOMAIN,
 * other record types of a known name an empty answer. Counts the queries per name.
 */
public final class DnsServer implements AutoCloseable {
  private record Answer(List<InetAddress> addresses, int ttlSeconds) {}

  private final DatagramSocket socket;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
  /** When the last query for each name was answered (System.nanoTime()). */
  private final Map<String, Long> lastAnswered = new ConcurrentHashMap<>();
  private final Thread thread;

  private DnsServer(DatagramSocket socket) {
    this.socket = socket;
    this.thread = Thread.ofPlatform().daemon().name("dns-server").start(this::serve);
  }

  /** Starts a server on 127.0.0.1 and a free UDP port. */
  public static DnsServer start() {
    try {
      return new DnsServer(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /**
   * From now on {@code name} has {@code addresses} (IPv4 dotted quads, answered to A queries, and
   * IPv6 literals, answered to AAAA queries), valid for {@code ttlSeconds}.
   */
  public void answer(String name, int ttlSeconds, String... addresses) {
    try {
      InetAddress[] a = new InetAddress[addresses.length];
      for (int i = 0; i < a.length; i++) a[i] = InetAddress.getByName(addresses[i]);
      answers.put(key(name), new Answer(List.of(a), ttlSeconds));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Queries received for {@code name} (any type). */
  public int queries(String name) {
    AtomicInteger n = queries.get(key(name));
    return n == null ? 0 : n.get();
  }

  /**
   * Waits up to {@code timeout} until {@code name} was asked more than {@code after} times in all
   * and then not at all for {@code quiet}; returns when the last of those queries was answered
   * (System.nanoTime()). For a test that must know when a client's cached answer was last renewed.
   */
  public long awaitQuiet(String name, int after, Duration quiet, Duration timeout) {
    Await.until(timeout, "queries for " + name + " past " + after + ", then none for " + quiet,
        () -> queries(name) > after && System.nanoTime() - lastAnswered.get(key(name)) >= quiet.toNanos());
    return lastAnswered.get(key(name));
  }

  private static String key(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private void serve() {
    byte[] buf = new byte[1500];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        byte[] reply = reply(buf, p.getLength());
        if (reply != null) {
          socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** The answer to one query, or null when it cannot be parsed. */
  private byte[] reply(byte[] q, int length) {
    if (length < 17) return null;
    // The question: labels from offset 12, then type and class.
    StringBuilder name = new StringBuilder();
    int i = 12;
    while (i < length && q[i] != 0) {
      int len = q[i] & 0xff;
      if (len > 63 || i + 1 + len > length) return null;
      if (!name.isEmpty()) name.append('.');
      name.append(new String(q, i + 1, len, java.nio.charset.StandardCharsets.US_ASCII));
      i += 1 + len;
    }
    int questionEnd = i + 5;
    if (questionEnd > length) return null;
    int type = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
    String key = key(name.toString());
    Answer a = answers.get(key);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(q[0]);
    out.write(q[1]);
    int rd = q[2] & 0x01;
    out.write(0x84 | rd); // QR, AA, RD copied
    out.write(a == null ? 0x83 : 0x80); // RA; NXDOMAIN for unknown names
    int size = type == 1 ? 4 : type == 28 ? 16 : -1; // A, AAAA
    List<InetAddress> records = a == null ? List.of()
        : a.addresses().stream().filter(x -> x.getAddress().length == size).toList();
    out.writeBytes(new byte[] {0, 1, 0, (byte) records.size(), 0, 0, 0, 0});
    out.write(q, 12, questionEnd - 12);
    for (InetAddress addr : records) {
      out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, (byte) type, 0, 1});
      int ttl = a.ttlSeconds();
      out.writeBytes(new byte[] {(byte) (ttl >>> 24), (byte) (ttl >>> 16), (byte) (ttl >>> 8), (byte) ttl, 0,
          (byte) size});
      out.writeBytes(addr.getAddress());
    }
    // Counted once answered: a test that sees the count go up knows which answer was given (and,
    // the time being set first, when it was given).
    lastAnswered.put(key, System.nanoTime());
    queries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    return out.toByteArray();
  }

  @Override
  public void close() {
    socket.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
