package com.payouts.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle of a payout as a table: each action moves a payout from one status to another and
 * has one effect on its user's wallet, and nothing else moves a payout. The database's conditional
 * updates carry these rules out, and guard them against races; they add none of their own.
 *
 * <p>Every action after the request but the return needs the payout to still hold its funds: a
 * pending, approved or processing payout always does, and a failed one does exactly while a retry
 * is scheduled. A return comes after the settlement, when the payout holds nothing.
 */
public enum PayoutAction {
  REQUEST("request", null, PayoutStatus.PENDING, BalanceEffect.HOLD),
  APPROVE("approve", PayoutStatus.PENDING, PayoutStatus.APPROVED, BalanceEffect.KEEP),
  REJECT("reject", PayoutStatus.PENDING, PayoutStatus.REJECTED, BalanceEffect.RELEASE),
  START_PROCESSING("process", PayoutStatus.APPROVED, PayoutStatus.PROCESSING, BalanceEffect.KEEP),
  COMPLETE("complete", PayoutStatus.PROCESSING, PayoutStatus.COMPLETED, BalanceEffect.SETTLE),
  /** A declined attempt: releases the hold when the failure is final, keeps it while a retry is scheduled. */
  FAIL("fail", PayoutStatus.PROCESSING, PayoutStatus.FAILED, BalanceEffect.RELEASE),
  /** The gateway's answer did not belong to the payout: its funds stay held until an operator decides. */
  NEEDS_REVIEW("hold for review", PayoutStatus.PROCESSING, PayoutStatus.NEEDS_REVIEW, BalanceEffect.KEEP),
  /** A new attempt of a failed payout that still holds its funds. */
  RETRY("retry", PayoutStatus.FAILED, PayoutStatus.PROCESSING, BalanceEffect.KEEP),
  /** The bank sent a completed payout back: the settled amount is available to the user again. */
  RETURN("return", PayoutStatus.COMPLETED, PayoutStatus.RETURNED, BalanceEffect.RETURN);

  private static final Map<PayoutStatus, Set<PayoutStatus>> NEXT = new EnumMap<>(PayoutStatus.class);

  static {
    for (PayoutStatus s : PayoutStatus.values()) NEXT.put(s, EnumSet.noneOf(PayoutStatus.class));
    for (PayoutAction a : values()) {
      if (a.from != null) NEXT.get(a.from).add(a.to);
    }
    NEXT.replaceAll((s, targets) -> Collections.unmodifiableSet(targets));
  }

  private final String verb;
  private final PayoutStatus from;
  private final PayoutStatus to;
  private final BalanceEffect effect;

  PayoutAction(String verb, PayoutStatus from, PayoutStatus to, BalanceEffect effect) {
    this.verb = verb;
    this.from = from;
    this.to = to;
    this.effect = effect;
  }

  /** As in "cannot process payout 5". */
  public String verb() {
    return verb;
  }

  /** The status the action moves a payout out of; null for the request, which creates it. */
  public PayoutStatus from() {
    return from;
  }

  public PayoutStatus to() {
    return to;
  }

  /**
   * What the action does to the wallet; {@code retryScheduled} matters only to {@link #FAIL}, whose
   * hold stays for the retry.
   */
  public BalanceEffect effect(boolean retryScheduled) {
    return this == FAIL && retryScheduled ? BalanceEffect.KEEP : effect;
  }

  /** Whether the action may move {@code p} as it is now (its user's eligibility aside). */
  public boolean appliesTo(Payout p) {
    return from != null && p.status() == from && (this == RETURN ? !p.holdsFunds() : p.holdsFunds());
  }

  /**
   * Why this action cannot move a payout in {@code status} ("it is completed, not pending"), or
   * empty when the status is the one it moves out of.
   */
  public Optional<String> refusal(PayoutStatus status) {
    if (status == from) return Optional.empty();
    return Optional.of("it is " + status.wire() + ", not " + (from == null ? "new" : from.wire()));
  }

  /** The statuses some action moves a payout in {@code from} to. */
  static Set<PayoutStatus> targets(PayoutStatus from) {
    return NEXT.get(from);
  }

  /** The actions that move a payout into {@code to}, in table order. */
  public static List<PayoutAction> into(PayoutStatus to) {
    List<PayoutAction> out = new ArrayList<>();
    for (PayoutAction a : values()) {
      if (a.to == to) out.add(a);
    }
    return out;
  }

  /**
   * The wallet effect of arriving in {@code to}; every action into a status has the same one (a
   * start and a retry both keep the hold), and a failure's depends on whether its hold stayed.
   */
  static BalanceEffect effectOfArriving(PayoutStatus to, boolean holdsFunds) {
    return into(to).get(0).effect(holdsFunds);
  }
}
