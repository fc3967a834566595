package com.payouts.service;

import com.payouts.domain.Payout;
import io.vertx.core.Future;
import io.vertx.core.streams.ReadStream;
import java.util.function.Supplier;

/** An export's payouts as a stream with back-pressure; {@code close} ends it early (the client went away). */
public record PayoutExport(ReadStream<Payout> rows, Supplier<Future<Void>> close) {}
