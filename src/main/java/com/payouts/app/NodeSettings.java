package com.payouts.app;

import static com.payouts.app.ConfigKeys.*;

import com.payouts.app.Settings.InvalidSetting;
import com.payouts.domain.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one node of a cluster needs beyond {@link Settings}: where it binds and announces itself,
 * whom it joins over TCP (no multicast), its name, and how long a SIGTERM waits for held jobs.
 * Read from the same merged configuration; a bad value fails with a message naming the setting.
 */
public record NodeSettings(String clusterHost, int clusterPort, List<String> members, String nodeName,
    Duration shutdownGrace) {
  public static final int DEFAULT_CLUSTER_PORT = 5701;
  /** PAYOUTS_CLUSTER_HOST=auto: the address this host's name resolves to (a container's own). */
  public static final String AUTO = "auto";

  public static NodeSettings from(JsonObject c, int httpPort) {
    String host = text(c, CLUSTER_HOST, "127.0.0.1");
    if (host.contains(",") || host.contains(" ")) throw new InvalidSetting(CLUSTER_HOST, host, "must be one address");
    if (host.equals(AUTO)) host = ownAddress();
    int port = port(c.getValue(CLUSTER_PORT));
    List<String> members = new ArrayList<>();
    for (String m : text(c, CLUSTER_MEMBERS, host).split(",")) {
      String member = m.strip();
      if (member.isEmpty()) continue;
      int colon = member.lastIndexOf(':');
      if (colon > 0) {
        try {
          int p = Integer.parseInt(member.substring(colon + 1));
          if (p < 1 || p > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
          throw new InvalidSetting(CLUSTER_MEMBERS, c.getValue(CLUSTER_MEMBERS), "bad port in " + member + " (host[:port],...)");
        }
      }
      members.add(member);
    }
    String name = text(c, NODE_NAME, host + ":" + httpPort);
    Duration grace;
    try {
      grace = Durations.parse(text(c, SHUTDOWN_GRACE, "30s"));
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting(SHUTDOWN_GRACE, c.getValue(SHUTDOWN_GRACE), e.getMessage());
    }
    return new NodeSettings(host, port, List.copyOf(members), name, grace);
  }

  private static String ownAddress() {
    try {
      return java.net.InetAddress.getLocalHost().getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new InvalidSetting(CLUSTER_HOST, AUTO, "this host's name does not resolve (" + e.getMessage() + "); name the address");
    }
  }

  private static int port(Object v) {
    if (v == null || v.toString().isBlank()) return DEFAULT_CLUSTER_PORT;
    try {
      int p = Integer.parseInt(v.toString().strip());
      if (p < 1 || p > 65535) throw new InvalidSetting(CLUSTER_PORT, v, "must be between 1 and 65535");
      return p;
    } catch (NumberFormatException e) {
      throw new InvalidSetting(CLUSTER_PORT, v, "must be a whole number");
    }
  }

  private static String text(JsonObject c, String key, String fallback) {
    Object v = c.getValue(key);
    return v == null || v.toString().isBlank() ? fallback : v.toString().strip();
  }
}
