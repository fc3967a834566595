package com.payouts.mockgateway;

import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.PaymentInstruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payouts.domain.GatewayError;
import com.payouts.domain.PayoutMethod;
import com.payouts.mockgateway.MockPayoutSimulator.Draw;
import com.payouts.mockgateway.MockPayoutSimulator.Fault;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MockPayoutSimulatorTest {
  private static final int N = 20_000;
  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  private static final BigDecimal AMOUNT = new BigDecimal("25.00");
  private static final Pattern TX_ID = Pattern.compile("^po_\\d{14}_[A-Z0-9]{8}$");

  private static MockPayoutSimulator simulator(long seed) {
    return new MockPayoutSimulator(MockGatewayConfig.defaults().withDelay(10, 20).withSeed(seed));
  }

  @Test
  void successRatesMatchTheConfiguredOnesAndFailuresAreTheFourErrors() {
    MockPayoutSimulator sim = simulator(42);
    Map<PayoutMethod, Double> expected = MockGatewayConfig.defaults().successRates();
    for (PayoutMethod method : PayoutMethod.values()) {
      int ok = 0;
      Map<GatewayError, Integer> errors = new EnumMap<>(GatewayError.class);
      for (int i = 0; i < N; i++) {
        Draw d = sim.draw(method, AMOUNT, NOW);
        if (d.succeeded()) {
          ok++;
          assertTrue(TX_ID.matcher(d.transactionId()).matches(), d.transactionId());
        } else {
          assertNull(d.transactionId());
          errors.merge(d.error(), 1, Integer::sum);
        }
      }
      double p = expected.get(method);
      double bound = 4 * Math.sqrt(p * (1 - p) / N);
      assertEquals(p, (double) ok / N, bound, method + " success rate");
      // Failures pick uniformly among the four errors: each gets about a quarter.
      int failures = N - ok;
      for (GatewayError e : GatewayError.values()) {
        double share = errors.getOrDefault(e, 0) / (double) failures;
        assertEquals(0.25, share, 4 * Math.sqrt(0.25 * 0.75 / failures), method + " " + e);
      }
    }
  }

  @Test
  void sameSeedReplaysTheSameSequence() {
    List<Draw> a = draws(simulator(7)), b = draws(simulator(7)), c = draws(simulator(8));
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void noFaultsConsumeNoRandomness() {
    MockPayoutSimulator plain = simulator(7);
    MockPayoutSimulator askedForFaults = simulator(7);
    for (int i = 0; i < 100; i++) {
      assertEquals(Fault.NONE, askedForFaults.fault());
      assertEquals(plain.draw(PayoutMethod.PAYPAL, AMOUNT, NOW), askedForFaults.draw(PayoutMethod.PAYPAL, AMOUNT, NOW));
    }
  }

  @Test
  void faultRatesAreHonoured() {
    MockPayoutSimulator sim = new MockPayoutSimulator(MockGatewayConfig.defaults().withSeed(3L).withFaults(0.3, 0.2));
    Map<Fault, Integer> seen = new EnumMap<>(Fault.class);
    for (int i = 0; i < N; i++) seen.merge(sim.fault(), 1, Integer::sum);
    assertEquals(0.3, seen.get(Fault.HANG) / (double) N, 4 * Math.sqrt(0.3 * 0.7 / N));
    assertEquals(0.2, seen.get(Fault.FAIL_BEFORE) / (double) N, 4 * Math.sqrt(0.2 * 0.8 / N));
  }

  @Test
  void transactionIdCarriesTheUtcTimestamp() {
    Draw d = simulatorThatAlwaysSucceeds().draw(PayoutMethod.CHECK, AMOUNT, NOW);
    assertTrue(d.transactionId().startsWith("po_20260304050607_"), d.transactionId());
    assertTrue(TX_ID.matcher(d.transactionId()).matches());
  }

  @Test
  void delaysStayWithinTheRangeAndReachBothEnds() {
    MockPayoutSimulator sim = simulator(11);
    long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
    for (int i = 0; i < N; i++) {
      long delay = sim.draw(PayoutMethod.STRIPE_BANK, AMOUNT, NOW).delayMs();
      min = Math.min(min, delay);
      max = Math.max(max, delay);
    }
    assertEquals(10, min);
    assertEquals(20, max);
    MockPayoutSimulator instant = new MockPayoutSimulator(MockGatewayConfig.defaults().withDelay(0, 0).withSeed(1L));
    assertEquals(0, instant.draw(PayoutMethod.PAYPAL, AMOUNT, NOW).delayMs());
  }

  @Test
  void feesFollowTheMethod() {
    MockPayoutSimulator sim = simulatorThatAlwaysSucceeds();
    assertEquals(new BigDecimal("0.25"), sim.draw(PayoutMethod.STRIPE_BANK, AMOUNT, NOW).fee());
    assertEquals(new BigDecimal("5.00"), sim.draw(PayoutMethod.CHECK, AMOUNT, NOW).fee());
    assertEquals(new BigDecimal("0.50"), sim.draw(PayoutMethod.PAYPAL, AMOUNT, NOW).fee());
    // 2 % of 10.25 is 0.205: half-up makes it 0.21.
    assertEquals(new BigDecimal("0.21"), sim.draw(PayoutMethod.PAYPAL, new BigDecimal("10.25"), NOW).fee());
    Draw d = sim.draw(PayoutMethod.CHECK, AMOUNT, NOW);
    GatewayResult r = d.toResult(new PaymentInstruction("k1", "1", PayoutMethod.CHECK, AMOUNT, "user-1"));
    assertTrue(r.succeeded());
    assertEquals(d.transactionId(), r.transactionId());
    assertNotNull(r.fee());
  }

  private static MockPayoutSimulator simulatorThatAlwaysSucceeds() {
    Map<PayoutMethod, Double> always = new EnumMap<>(PayoutMethod.class);
    for (PayoutMethod m : PayoutMethod.values()) always.put(m, 1.0);
    return new MockPayoutSimulator(new MockGatewayConfig(0, 0, 0, 5L, always));
  }

  private static List<Draw> draws(MockPayoutSimulator sim) {
    List<Draw> out = new ArrayList<>();
    for (int i = 0; i < 500; i++) out.add(sim.draw(PayoutMethod.values()[i % 3], AMOUNT, NOW));
    return out;
  }

  @Test
  void keyedDrawsDependOnSeedAndKeyAloneAndHitTheRates() {
    MockPayoutSimulator a = new MockPayoutSimulator(MockGatewayConfig.defaults().withSeed(11L).withDelay(3000, 10000));
    MockPayoutSimulator b = new MockPayoutSimulator(MockGatewayConfig.defaults().withSeed(11L).withDelay(3000, 10000));
    assertEquals(a.draw("payout-1-0", PayoutMethod.PAYPAL, AMOUNT, NOW), b.draw("payout-1-0", PayoutMethod.PAYPAL, AMOUNT, NOW));
    java.util.Set<String> ids = new java.util.HashSet<>();
    int ok = 0;
    for (int i = 0; i < 20_000; i++) {
      Draw d = a.draw("payout-" + i + "-0", PayoutMethod.STRIPE_BANK, AMOUNT, NOW);
      assertTrue(d.delayMs() >= 3000 && d.delayMs() <= 10000);
      if (d.succeeded()) {
        ok++;
        assertTrue(ids.add(d.transactionId()), "transaction ids do not repeat: " + d.transactionId());
      }
    }
    double sd = Math.sqrt(20_000 * 0.95 * 0.05);
    assertTrue(Math.abs(ok - 19_000) < 4 * sd, "successes " + ok);
  }
}
