package com.payouts.stats;

import com.payouts.domain.PayoutStats;

/** The payouts' figures and the queue's; {@code queue} is null when the queue could not be read (or there is none). */
public record Stats(PayoutStats payouts, QueueFigures queue) {}
