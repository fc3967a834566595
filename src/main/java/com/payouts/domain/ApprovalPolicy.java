package com.payouts.domain;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many approvals a payout needs, by its amount: below {@code autoBelow} none (it is approved at
 * creation by {@link #AUTO_APPROVER} unless a review reason applies), from {@code twoApproversFrom}
 * two by different staff users who did not request it, else one. Either bound may be absent;
 * {@link #NONE} (nothing configured) is one approval by any staff user who may approve, as before
 * there was a policy.
 */
public record ApprovalPolicy(BigDecimal autoBelow, BigDecimal twoApproversFrom) {
  public static final String AUTO_APPROVER = "system:auto-approval";
  public static final ApprovalPolicy NONE = new ApprovalPolicy(null, null);

  public ApprovalPolicy {
    if (autoBelow != null && twoApproversFrom != null && autoBelow.compareTo(twoApproversFrom) > 0) {
      throw new IllegalArgumentException("auto-below must not exceed two-approvers-from");
    }
  }

  /** {@code auto-below=50.00,two-approvers-from=1000.00}, either part alone, or empty for {@link #NONE}. */
  public static ApprovalPolicy parse(String text) {
    if (text == null || text.isBlank()) return NONE;
    Map<String, BigDecimal> parts = amounts(text, "auto-below", "two-approvers-from");
    return new ApprovalPolicy(parts.get("auto-below"), parts.get("two-approvers-from"));
  }

  /** Whether a policy is configured at all: only then are first payouts and method changes flagged. */
  public boolean configured() {
    return autoBelow != null || twoApproversFrom != null;
  }

  public int approvalsRequired(BigDecimal amount) {
    return twoApproversFrom != null && amount.compareTo(twoApproversFrom) >= 0 ? 2 : 1;
  }

  /** {@code key=amount} pairs of the given keys, each at most once. */
  static Map<String, BigDecimal> amounts(String text, String... keys) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      String[] kv = pair.trim().split("=", 2);
      String key = kv[0].trim();
      if (kv.length != 2 || !java.util.List.of(keys).contains(key)) {
        throw new IllegalArgumentException("expected " + String.join(" and ", keys) + ", like "
            + keys[0] + "=50.00; got '" + pair.trim() + "'");
      }
      if (out.containsKey(key)) throw new IllegalArgumentException(key + " is given twice");
      try {
        out.put(key, Money.parsePositive(kv[1].trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(key + " " + e.getMessage());
      }
    }
    return out;
  }
}
