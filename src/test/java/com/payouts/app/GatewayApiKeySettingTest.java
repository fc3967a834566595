package com.payouts.app;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** PAYOUTS_GATEWAY_API_KEY: optional, validated, never printed. */
class GatewayApiKeySettingTest {
  @Test
  void unsetMeansTheGeneratedKeyAndASetKeyIsKeptButNeverPrinted() {
    assertNull(Settings.from(Settings.load(Map.of())).gatewayApiKey());
    String key = "sk_test_0123456789abcdef";
    Settings s = Settings.from(Settings.load(Map.of(ConfigKeys.GATEWAY_API_KEY, key)));
    assertEquals(key, s.gatewayApiKey());
    assertFalse(s.toString().contains(key), s::toString);
    assertFalse(ServiceGraph.mockConfig(s, key).toString().contains(key));
  }

  @Test
  void aKeyTooShortOrWithSpacesStopsStartUpWithoutShowingIt() {
    for (String bad : new String[] {"short", "has spaces in the middle of it"}) {
      Settings.InvalidSetting e = assertThrows(Settings.InvalidSetting.class,
          () -> Settings.from(Settings.load(Map.of(ConfigKeys.GATEWAY_API_KEY, bad))));
      assertTrue(e.getMessage().contains(ConfigKeys.GATEWAY_API_KEY), e.getMessage());
      assertFalse(e.getMessage().contains(bad), e.getMessage());
    }
  }
}
