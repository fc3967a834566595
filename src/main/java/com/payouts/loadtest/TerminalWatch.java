package com.payouts.loadtest;

import io.vertx.core.Future;
import java.util.List;

/** One look at payouts still open: which of them are now completed or failed. */
public interface TerminalWatch {
  Future<List<TerminalState>> poll(List<Long> open);
}
