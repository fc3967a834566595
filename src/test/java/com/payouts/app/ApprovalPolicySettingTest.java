package com.payouts.app;

import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.ApprovalPolicy;
import com.payouts.domain.VelocityLimits;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PAYOUTS_APPROVAL_POLICY and PAYOUTS_VELOCITY_LIMITS: none unless set, checked at start naming the setting. */
class ApprovalPolicySettingTest {
  @Test
  void nothingConfiguredIsOneApprovalForEveryPayout() {
    Settings s = Settings.from(Settings.load(Map.of()));
    assertEquals(ApprovalPolicy.NONE, s.approvalPolicy());
    assertFalse(s.approvalPolicy().configured());
    assertEquals(1, s.approvalPolicy().approvalsRequired(new BigDecimal("1000000.00")));
    assertEquals(VelocityLimits.NONE, s.velocityLimits());
  }

  @Test
  void theIssuesExamplesRead() {
    Settings s = Settings.from(Settings.load(Map.of(
        ConfigKeys.APPROVAL_POLICY, "auto-below=50.00,two-approvers-from=1000.00",
        ConfigKeys.VELOCITY_LIMITS, "count=5/24h,amount=2000.00/24h")));
    assertEquals(new ApprovalPolicy(new BigDecimal("50.00"), new BigDecimal("1000.00")), s.approvalPolicy());
    assertEquals(2, s.approvalPolicy().approvalsRequired(new BigDecimal("1000.00")));
    assertEquals(1, s.approvalPolicy().approvalsRequired(new BigDecimal("999.99")));
    assertEquals(new VelocityLimits(5, Duration.ofHours(24), new BigDecimal("2000.00"), Duration.ofHours(24)), s.velocityLimits());
    assertEquals(s.approvalPolicy(), s.withServers("postgresql://x@h/db", "redis://h:6379").withGatewayPort(0).approvalPolicy());
    assertEquals(new VelocityLimits(5, Duration.ofHours(1), null, null), VelocityLimits.parse("count=5/1h"));
    assertEquals(new ApprovalPolicy(null, new BigDecimal("500.00")), ApprovalPolicy.parse("two-approvers-from=500"));
  }

  @Test
  void aBadValueStopsStartUpNamingTheSetting() {
    for (String bad : new String[] {"auto-below=abc", "auto=5", "auto-below=50.00,auto-below=60.00",
        "auto-below=2000.00,two-approvers-from=1000.00", "auto-below=-1", "two-approvers-from=1.001"}) {
      Settings.InvalidSetting e = assertThrows(Settings.InvalidSetting.class,
          () -> Settings.from(Settings.load(Map.of(ConfigKeys.APPROVAL_POLICY, bad))), bad);
      assertTrue(e.getMessage().contains("PAYOUTS_APPROVAL_POLICY"), e.getMessage());
    }
    for (String bad : new String[] {"count=5", "count=0/24h", "count=x/24h", "amount=1e3/24h", "speed=5/1h",
        "count=5/forever", "count=5/0s"}) {
      Settings.InvalidSetting e = assertThrows(Settings.InvalidSetting.class,
          () -> Settings.from(Settings.load(Map.of(ConfigKeys.VELOCITY_LIMITS, bad))), bad);
      assertTrue(e.getMessage().contains("PAYOUTS_VELOCITY_LIMITS"), e.getMessage());
    }
  }
}
