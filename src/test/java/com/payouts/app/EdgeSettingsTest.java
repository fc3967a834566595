package com.payouts.app;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeSettingsTest {
  @Test
  void defaults() {
    Settings s = Settings.from(Settings.load(Map.of()));
    assertEquals(Duration.ofSeconds(60), s.httpEdge().idleTimeout());
    assertEquals(Duration.ofSeconds(10), s.httpEdge().headerTimeout());
    assertEquals(Duration.ofSeconds(15), s.httpEdge().bodyTimeout());
    assertEquals(256, s.httpEdge().maxConnectionsPerClient());
    assertEquals(8, s.httpEdge().maxSocketsPerSession());
    assertTrue(s.httpEdge().trustedProxies().isEmpty());
    assertFalse(s.secureCookies());
  }

  @Test
  void fromTheEnvironment() {
    Settings s = Settings.from(Settings.load(Map.of(ConfigKeys.HTTP_HEADER_TIMEOUT, "5s",
        ConfigKeys.TRUSTED_PROXIES, "10.0.0.0/8,127.0.0.1", ConfigKeys.SECURE_COOKIES, "TRUE",
        ConfigKeys.BRIDGE_MAX_SOCKETS_PER_SESSION, "3")));
    assertEquals(Duration.ofSeconds(5), s.httpEdge().headerTimeout());
    assertTrue(s.httpEdge().trustedProxies().trusts("10.9.9.9"));
    assertTrue(s.secureCookies());
    assertEquals(3, s.httpEdge().maxSocketsPerSession());
  }

  @Test
  void aBadValueNamesItsSetting() {
    Map<String, String> bad = Map.of(ConfigKeys.HTTP_IDLE_TIMEOUT, "0s", ConfigKeys.HTTP_BODY_TIMEOUT, "soon",
        ConfigKeys.HTTP_MAX_CONNECTIONS_PER_CLIENT, "0", ConfigKeys.TRUSTED_PROXIES, "proxy.internal",
        ConfigKeys.SECURE_COOKIES, "yes");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      Settings.InvalidSetting err = assertThrows(Settings.InvalidSetting.class,
          () -> Settings.from(Settings.load(Map.of(e.getKey(), e.getValue()))), e.toString());
      assertTrue(err.getMessage().contains(e.getKey()), err.getMessage());
    }
  }
}
