package com.payouts.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  void percentilesAreNearestRankOverWhateverOrderTheValuesCameIn() {
    List<Long> values = new ArrayList<>();
    for (long v = 1; v <= 1000; v++) values.add(v * 1000); // 1 ms .. 1000 ms
    Collections.shuffle(values, new Random(7));
    Latencies l = new Latencies();
    values.forEach(l::record);

    assertEquals(1000, l.count());
    assertEquals(500_000, l.percentile(50));
    assertEquals(990_000, l.percentile(99));
    assertEquals(1_000, l.percentile(0.1));
    assertEquals(1_000_000, l.percentile(100));
    assertEquals(1_000_000, l.max());
  }

  @Test
  void smallSamplesRoundTheRankUp() {
    Latencies l = new Latencies();
    l.record(30);
    l.record(10);
    l.record(20);
    assertEquals(20, l.percentile(50)); // rank ceil(1.5) = 2
    assertEquals(30, l.percentile(99)); // rank ceil(2.97) = 3
    assertEquals(10, l.percentile(1));
  }

  @Test
  void recordingAfterAReadStillCounts() {
    Latencies l = new Latencies();
    l.record(5);
    assertEquals(5, l.max());
    l.record(50);
    l.record(1);
    assertEquals(50, l.max());
    assertEquals(5, l.percentile(50));
  }

  @Test
  void growsPastItsFirstArrayAndClampsNegativeSkewToZero() {
    Latencies l = new Latencies();
    for (int i = 0; i < 5000; i++) l.record(i);
    l.record(-3);
    assertEquals(5001, l.count());
    assertEquals(0, l.percentile(0.01));
    assertEquals(4999, l.max());
  }

  @Test
  void emptyIsZeroAndOutOfRangePercentIsRefused() {
    Latencies l = new Latencies();
    assertEquals(0, l.percentile(50));
    assertEquals(0, l.max());
    assertThrows(IllegalArgumentException.class, () -> l.percentile(0));
    assertThrows(IllegalArgumentException.class, () -> l.percentile(100.5));
  }

  @Test
  void millisecondsAreWholeFromTenOnAndOneDecimalBelow() {
    assertEquals("0.0ms", Latencies.millis(0));
    assertEquals("2.5ms", Latencies.millis(2_480));
    assertEquals("9.9ms", Latencies.millis(9_940));
    assertEquals("10ms", Latencies.millis(10_000));
    assertEquals("1900ms", Latencies.millis(1_899_600));
    assertEquals("-", Latencies.millis(-1));
  }

  @Test
  void throughputIsTerminalPayoutsOverFirstApprovalToLastTerminal() {
    assertEquals(5000.0, LoadSummary.throughput(20_000, 1_000_000, 5_000_000), 1e-9);
    assertEquals(0.0, LoadSummary.throughput(0, 1_000_000, 5_000_000));
    assertEquals(0.0, LoadSummary.throughput(10, 5_000_000, 5_000_000));
  }

  @Test
  void summaryIsOneLineAndFailsOnUnfinishedOrBrokenInvariants() {
    LoadSummary ok = new LoadSummary(20000, 6120.4, 410_000, 1_900_000, 2_500_000, 18800, 1200, 0, 0, "ok");
    assertEquals("N=20000 payouts/s=6120 p50=410ms p99=1900ms max=2500ms completed=18800 failed=1200 unfinished=0"
        + " http_errors=0 invariants=ok", ok.line());
    assertTrue(ok.succeeded());
    assertEquals(false, new LoadSummary(10, 1, 1, 1, 1, 9, 0, 1, 0, "ok").succeeded());
    assertEquals(false, new LoadSummary(10, 1, 1, 1, 1, 9, 1, 0, 0, "broken").succeeded());
    assertTrue(new LoadSummary(10, 1, 1, 1, 1, 9, 1, 0, 0, "unchecked").succeeded());
  }

  @Test
  void amountsStayAboveEveryFeeAndWithinTheCredit() {
    for (int i = 0; i < 10_000; i++) {
      BigDecimal a = new BigDecimal(LoadRun.amount(i));
      assertTrue(a.compareTo(new BigDecimal("5.00")) > 0 && a.compareTo(new BigDecimal("51.00")) < 0, a.toString());
      assertTrue(LoadRun.amount(i).matches("[0-9]+\\.[0-9]{2}"), LoadRun.amount(i));
    }
    assertEquals("51000.00", LoadRun.creditPerUser(100_000, 100));
    assertEquals("102.00", LoadRun.creditPerUser(3, 2));
  }
}
