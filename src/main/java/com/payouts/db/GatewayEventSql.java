package com.payouts.db;

/** The gateway's events as this service keeps them: where its poller has read up to, what it applied. */
final class GatewayEventSql {
  private GatewayEventSql() {}

  static final String CURSOR = """
      SELECT after FROM gateway_event_cursor WHERE name = $1""";

  static final String SAVE_CURSOR = """
      INSERT INTO gateway_event_cursor (name, after) VALUES ($1, $2)
      ON CONFLICT (name) DO UPDATE SET after = EXCLUDED.after, updated_at = now()""";

  static final String RECENT = """
      SELECT id, type, payout_id, outcome, received_via, received_at FROM gateway_events
      ORDER BY received_at DESC, id LIMIT $1""";
}
