package com.payouts.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain TCP connection to the server from a chosen loopback address, for what no HTTP client
 * does: headers or a body sent a few bytes at a time, or nothing at all. Blocking, on the test
 * thread only.
 */
final class RawConnection implements AutoCloseable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private boolean closedByServer;

  RawConnection(String from, int port) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends text; false when the server has closed the connection. */
  boolean send(String text) {
    try {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return true;
    } catch (IOException e) {
      closedByServer = true;
      return false;
    }
  }

  /** Reads what arrives within {@code wait}; true when the server closed the connection. */
  boolean readFor(Duration wait) {
    if (closedByServer) return true;
    long deadline = System.nanoTime() + wait.toNanos();
    byte[] buf = new byte[8192];
    try {
      while (System.nanoTime() < deadline) {
        socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
        try {
          int n = in.read(buf);
          if (n < 0) {
            closedByServer = true;
            return true;
          }
          received.write(buf, 0, n);
        } catch (SocketTimeoutException quiet) {
          // nothing yet
        }
      }
      return false;
    } catch (IOException reset) {
      closedByServer = true;
      return true;
    }
  }

  /** Reads until the text holds {@code marker}, the server closes, or {@code max} passes. */
  void readUntil(String marker, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!text().contains(marker) && System.nanoTime() < deadline) {
      if (readFor(Duration.ofMillis(20))) return;
    }
  }

  /**
   * Sends {@code chunks} one at a time, {@code every} apart, reading in between; stops when the
   * server closes. True when it did close, false when every chunk went and it still had not.
   */
  boolean trickle(String[] chunks, Duration every) {
    for (String c : chunks) {
      if (!send(c) || readFor(every)) return true;
    }
    return readFor(every);
  }

  /** Waits up to {@code bound} for the server to close, reading what it says meanwhile. */
  boolean closedWithin(Duration bound) {
    return readFor(bound);
  }

  String text() {
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** {@code n} copies of a header line: a request's headers sent one line at a time. */
  static String[] headerLines(int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) out[i] = "X-Slow-" + i + ": " + "a".repeat(10) + "\r\n";
    return out;
  }
}
