package com.payouts.app;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PAYOUTS_IDEMPOTENCY_TTL: a day unless set, read like the other durations, more than zero and at most a year. */
class IdempotencyTtlSettingTest {
  @Test
  void aKeyLivesADayUnlessConfigured() {
    assertEquals(Duration.ofHours(24), Settings.from(Settings.load(Map.of())).idempotencyTtl());
    assertEquals(Duration.ofMinutes(90),
        Settings.from(Settings.load(Map.of(ConfigKeys.IDEMPOTENCY_TTL, "90m"))).idempotencyTtl());
    Settings s = Settings.from(Settings.load(Map.of(ConfigKeys.IDEMPOTENCY_TTL, "365d")));
    assertEquals(Duration.ofDays(365), s.withServers("postgresql://x@h/db", "redis://h:6379").withGatewayPort(0)
        .idempotencyTtl(), "kept by the copies");
  }

  @Test
  void aBadValueStopsStartUpNamingTheSetting() {
    for (String bad : new String[] {"0s", "forever", "-1h", "24", "366d"}) {
      Settings.InvalidSetting e = assertThrows(Settings.InvalidSetting.class,
          () -> Settings.from(Settings.load(Map.of(ConfigKeys.IDEMPOTENCY_TTL, bad))), bad);
      assertTrue(e.getMessage().contains("PAYOUTS_IDEMPOTENCY_TTL"), e.getMessage());
    }
  }
}
