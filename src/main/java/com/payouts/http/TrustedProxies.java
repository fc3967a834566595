package com.payouts.http;

import com.payouts.auth.ClientAddresses;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} we believe, and the client address that follows. Only
 * when the direct peer is one of them is the header read, from the right: the first address that is
 * not itself a trusted proxy is the client. Anything else a client writes there (its left part, or
 * the whole header from an untrusted peer) is ignored, so it cannot choose the address the login
 * throttle and the audit see. Addresses are IP literals only: nothing here resolves a name.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");
  /** Where the API's first handler leaves the client address for the others. */
  public static final String CLIENT_ADDRESS = "clientAddress";

  private record Range(byte[] network, int bits) {
    boolean contains(byte[] a) {
      if (a.length != network.length) return false;
      int full = bits / 8;
      for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
      int rest = bits % 8;
      if (rest == 0) return true;
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Range> ranges;
  private final String spec;

  private TrustedProxies(List<Range> ranges, String spec) {
    this.ranges = ranges;
    this.spec = spec;
  }

  /** A comma list of addresses and CIDR ranges, e.g. {@code 10.0.0.0/8, 127.0.0.1, ::1}; blank for none. */
  public static TrustedProxies parse(String spec) {
    if (spec == null || spec.isBlank()) return NONE;
    List<Range> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) continue;
      int slash = p.indexOf('/');
      byte[] net = bytes(slash < 0 ? p : p.substring(0, slash));
      if (net == null) throw new IllegalArgumentException("not an IP address or CIDR range: " + p);
      int bits = net.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(p.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a CIDR prefix length: " + p);
        }
        if (bits < 0 || bits > net.length * 8) throw new IllegalArgumentException("prefix length out of range: " + p);
      }
      out.add(new Range(net, bits));
    }
    return new TrustedProxies(List.copyOf(out), spec.trim());
  }

  public boolean trusts(String address) {
    byte[] a = bytes(address);
    if (a == null) return false;
    for (Range r : ranges) if (r.contains(a)) return true;
    return false;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** The client of a request: the peer, or for a trusted peer the rightmost untrusted X-Forwarded-For hop. */
  public String clientOf(HttpServerRequest request) {
    String peer = request.remoteAddress() == null ? "unknown" : normalise(request.remoteAddress().host());
    return clientOf(peer, request.headers().getAll("X-Forwarded-For"));
  }

  String clientOf(String peer, List<String> forwardedFor) {
    if (ranges.isEmpty() || !trusts(peer)) return peer;
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) hops.add(hop.trim());
    }
    String client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = normalise(stripPort(hops.get(i)));
      // A hop that is no address ends what we can believe: the trusted hop to its right is the client.
      if (bytes(hop) == null) return client;
      client = hop;
      if (!trusts(hop)) return hop;
    }
    return client;
  }

  /** What the API's first handler found, or the direct peer when no such handler ran (small test routers). */
  public static String clientAddress(RoutingContext ctx) {
    String known = ctx.get(CLIENT_ADDRESS);
    if (known != null) return known;
    return ctx.request().remoteAddress() == null ? "unknown" : normalise(ctx.request().remoteAddress().host());
  }

  /** The key a per-client limit counts under; see {@link ClientAddresses#limitKey}. */
  public static String limitKey(String address) {
    return ClientAddresses.limitKey(address);
  }

  static String normalise(String address) {
    return ClientAddresses.normalise(address);
  }

  private static String stripPort(String hop) {
    if (hop.startsWith("[") && hop.contains("]")) return hop.substring(1, hop.indexOf(']'));
    int colon = hop.indexOf(':');
    // One colon: IPv4 with a port. More: an IPv6 literal, left as it is.
    return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }

  private static byte[] bytes(String literal) {
    return ClientAddresses.bytes(literal);
  }

  @Override
  public String toString() {
    return spec;
  }
}
