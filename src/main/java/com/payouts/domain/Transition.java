package com.payouts.domain;

/** A payout that moved from one status to another; published after its transaction committed. */
public record Transition(Payout payout, PayoutStatus from, String actor) {}
