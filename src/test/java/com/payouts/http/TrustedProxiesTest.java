package com.payouts.http;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  final TrustedProxies proxies = TrustedProxies.parse(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8, ::1 ");

  @Test
  void addressesAndRangesOfBothFamilies() {
    assertTrue(proxies.trusts("10.200.3.4"));
    assertTrue(proxies.trusts("192.168.1.7"));
    assertFalse(proxies.trusts("192.168.1.8"));
    assertFalse(proxies.trusts("11.0.0.1"));
    assertTrue(proxies.trusts("fd12:3456::1"));
    assertTrue(proxies.trusts("0:0:0:0:0:0:0:1"));
    assertFalse(proxies.trusts("fe80::1"));
    assertFalse(proxies.trusts("proxy.internal"), "names are never resolved, so never trusted");
    assertTrue(TrustedProxies.parse("203.0.113.0/25").trusts("203.0.113.127"));
    assertFalse(TrustedProxies.parse("203.0.113.0/25").trusts("203.0.113.128"));
    assertTrue(TrustedProxies.parse("").isEmpty());
  }

  @Test
  void limitsCountIpv4AddressesAndIpv6Slash64s() {
    assertEquals("203.0.113.9", TrustedProxies.limitKey("203.0.113.9"));
    assertEquals("2001:db8:1:2:0:0:0:0/64", TrustedProxies.limitKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    assertEquals(TrustedProxies.limitKey("2001:db8:1:2::1"), TrustedProxies.limitKey("2001:db8:1:2::ffff"));
    assertNotEquals(TrustedProxies.limitKey("2001:db8:1:2::1"), TrustedProxies.limitKey("2001:db8:1:3::1"));
    assertEquals("unknown", TrustedProxies.limitKey("unknown"));
  }

  @Test
  void badSpecsAreRefusedWithWhy() {
    for (String bad : List.of("10.0.0.0/33", "example.com", "10.0.0/8", "::1/129", "10.0.0.0/x")) {
      assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(bad), bad);
    }
  }

  @Test
  void theClientIsTheRightmostUntrustedHopAndOnlyBehindATrustedPeer() {
    assertEquals("198.51.100.7", proxies.clientOf("10.0.0.5", List.of("6.6.6.6, 198.51.100.7, 10.1.1.1")));
    assertEquals("198.51.100.7", proxies.clientOf("10.0.0.5", List.of("6.6.6.6", "198.51.100.7")), "two headers");
    assertEquals("203.0.113.9", proxies.clientOf("203.0.113.9", List.of("198.51.100.7")), "an untrusted peer's header is ignored");
    assertEquals("10.0.0.5", proxies.clientOf("10.0.0.5", List.of()), "no header: the proxy itself");
    assertEquals("10.2.2.2", proxies.clientOf("10.0.0.5", List.of("10.2.2.2, 10.1.1.1")), "all trusted: the farthest");
    assertEquals("10.1.1.1", proxies.clientOf("10.0.0.5", List.of("unknown, 10.1.1.1")), "garbage stops the walk");
    assertEquals("198.51.100.7", proxies.clientOf("10.0.0.5", List.of("198.51.100.7:4711")), "a port is dropped");
    assertEquals("2001:db8:0:0:0:0:0:1", proxies.clientOf("10.0.0.5", List.of("[2001:db8::1]:443")));
    assertEquals("203.0.113.9", TrustedProxies.NONE.clientOf("203.0.113.9", List.of("1.2.3.4")));
  }
}
