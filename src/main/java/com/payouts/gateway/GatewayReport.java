package com.payouts.gateway;

import io.vertx.core.Future;
import java.util.List;

/**
 * The processor's report of what it executed, read through its API (as from Stripe's balance
 * transactions or a payout report), never from its tables: pages in key order.
 */
public interface GatewayReport {
  /** Executions are listed at most this many a page. */
  int MAX_PAGE = 1_000;

  /** A page of executions and where the next one starts (null after the last). */
  record Page(List<GatewayExecution> items, String nextAfter) {}

  /** The executions whose keys sort after {@code after} (null: from the first), at most {@code limit}. */
  Future<Page> executions(String after, int limit);
}
