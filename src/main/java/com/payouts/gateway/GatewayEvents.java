package com.payouts.gateway;

import com.payouts.domain.PayoutReturn;
import io.vertx.core.Future;
import java.util.List;

/**
 * The processor's list of events (returns, for now), read through its API in order: what its
 * webhooks told, or should have told, the service. Reading it again finds a missed webhook.
 */
public interface GatewayEvents {
  /** A page of the returns on the list, and where the next page starts (null after the last). */
  record EventPage(List<PayoutReturn> returns, String nextAfter, String last) {}

  /** The events after {@code after} (null: from the first), at most {@code limit}. */
  Future<EventPage> events(String after, int limit);
}
