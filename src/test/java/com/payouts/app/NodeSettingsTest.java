package com.payouts.app;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster settings: loopback by default, and a bad value stops the start naming the setting. */
class NodeSettingsTest {

  @Test
  void defaultsStayOnLoopback() {
    NodeSettings n = NodeSettings.from(Settings.load(Map.of()), 8080);
    assertEquals("127.0.0.1", n.clusterHost());
    assertEquals(5701, n.clusterPort());
    assertEquals(List.of("127.0.0.1"), n.members());
    assertEquals("127.0.0.1:8080", n.nodeName());
    assertEquals(Duration.ofSeconds(30), n.shutdownGrace());
  }

  @Test
  void theEnvironmentSetsThem() {
    NodeSettings n = NodeSettings.from(Settings.load(Map.of(ConfigKeys.CLUSTER_HOST, "10.0.0.5",
        ConfigKeys.CLUSTER_MEMBERS, "10.0.0.5:5701, 10.0.0.6", ConfigKeys.NODE_NAME, "pay-1",
        ConfigKeys.SHUTDOWN_GRACE, "5s", ConfigKeys.CLUSTER_PORT, "5801")), 8080);
    assertEquals("10.0.0.5", n.clusterHost());
    assertEquals(5801, n.clusterPort());
    assertEquals(List.of("10.0.0.5:5701", "10.0.0.6"), n.members());
    assertEquals("pay-1", n.nodeName());
    assertEquals(Duration.ofSeconds(5), n.shutdownGrace());
  }

  @Test
  void aBadValueNamesItsSetting() {
    for (Map.Entry<String, String> bad : Map.of(ConfigKeys.CLUSTER_PORT, "70000", ConfigKeys.CLUSTER_MEMBERS,
        "10.0.0.5:http", ConfigKeys.SHUTDOWN_GRACE, "soon", ConfigKeys.CLUSTER_HOST, "a,b").entrySet()) {
      JsonObject c = Settings.load(Map.of(bad.getKey(), bad.getValue()));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeSettings.from(c, 8080));
      assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
    }
  }
}
