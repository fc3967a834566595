package com.payouts.service;

import com.payouts.db.GatewayEventRepository;
import com.payouts.domain.PayoutReturn;
import com.payouts.gateway.GatewayEvents;
import io.vertx.core.Future;

/**
 * The gateway's events into the lifecycle: a webhook's event as it arrives (its signature checked
 * at the edge), and every event on the gateway's list on a timer, from where the last read ended,
 * so that a webhook that never arrived is found again. Either way an event is applied once.
 */
public class GatewayEventIntake {
  static final int PAGE = 500;

  public enum Via {
    WEBHOOK, POLL;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What one pass over the list found: events read, and payouts returned by them. */
  public record Pass(int read, int returned) {}

  private final PayoutService payouts;
  private final GatewayEvents gateway;
  private final GatewayEventRepository cursor;

  public GatewayEventIntake(PayoutService payouts, GatewayEvents gateway, GatewayEventRepository cursor) {
    this.payouts = payouts;
    this.gateway = gateway;
    this.cursor = cursor;
  }

  public Future<AppliedEvent> apply(PayoutReturn r, Via via) {
    return payouts.applyReturn(r, via.wire());
  }

  /** Reads the list from where the last pass ended to its end, applying each return in order. */
  public Future<Pass> poll() {
    if (gateway == null) return Future.succeededFuture(new Pass(0, 0));
    return cursor.cursor().compose(after -> page(after.orElse(null), new int[] {0, 0}));
  }

  private Future<Pass> page(String after, int[] counts) {
    return gateway.events(after, PAGE).compose(page -> {
      Future<Void> chain = Future.succeededFuture();
      for (PayoutReturn r : page.returns()) {
        chain = chain.compose(v -> apply(r, Via.POLL).map(applied -> {
          counts[0]++;
          if (applied.returned().isPresent()) counts[1]++;
          return (Void) null;
        }));
      }
      String last = page.last();
      Future<Void> saved = last == null || last.equals(after) ? chain : chain.compose(v -> cursor.saveCursor(last));
      return saved.compose(v -> page.nextAfter() == null
          ? Future.succeededFuture(new Pass(counts[0], counts[1])) : page(page.nextAfter(), counts));
    });
  }
}
