package com.payouts.mockgateway;

import com.payouts.domain.ReturnCode;
import com.payouts.gateway.WebhookSignature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mock's bank returns: a paid execution drawn to come back gets its code and due time when it
 * is paid; once due, it is returned and becomes an event on the list (GET /v1/events), which is
 * posted to the service's webhook, signed, until the service answers 2xx (a few tries; the
 * service's poller of the list finds whatever was not delivered).
 */
final class MockReturns {
  private static final Logger log = LoggerFactory.getLogger(MockReturns.class);
  static final int BATCH = 500;
  /** Deliveries tried per event before the webhook gives up on it (the list still has it). */
  static final int MAX_ATTEMPTS = 5;

  static final String PLAN = """
      UPDATE gateway.executions SET return_code = $2, return_due_at = now() + make_interval(secs => $3)
      WHERE idempotency_key = $1 AND status = 'succeeded' AND return_code IS NULL""";

  /** Due returns happen, each with its event (its id derived from the key: made once). */
  static final String RETURN_DUE = """
      WITH due AS (UPDATE gateway.executions SET returned_at = now()
                   WHERE idempotency_key IN (SELECT idempotency_key FROM gateway.executions
                                             WHERE return_due_at <= now() AND returned_at IS NULL
                                             ORDER BY return_due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                   RETURNING *)
      INSERT INTO gateway.events (id, type, body)
      SELECT 'evt_' || md5(idempotency_key || ':returned'), 'payout.returned',
             jsonb_build_object('id', 'evt_' || md5(idempotency_key || ':returned'), 'type', 'payout.returned',
               'createdAt', to_char(returned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'data', jsonb_build_object('idempotencyKey', idempotency_key, 'payoutRef', payout_ref,
                 'destination', destination, 'transactionId', transaction_id, 'amount', amount::text,
                 'returnCode', return_code,
                 'returnedAt', to_char(returned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
      FROM due ON CONFLICT (id) DO NOTHING""";

  static final String UNDELIVERED = """
      SELECT seq, body::text AS body FROM gateway.events WHERE delivered_at IS NULL AND attempts < $1
      ORDER BY seq LIMIT $2""";

  static final String DELIVERED = """
      UPDATE gateway.events SET delivered_at = now(), attempts = attempts + 1 WHERE seq = $1""";

  static final String NOT_DELIVERED = """
      UPDATE gateway.events SET attempts = attempts + 1 WHERE seq = $1""";

  static final String LIST = """
      SELECT seq, body::text AS body FROM gateway.events WHERE seq > $1 ORDER BY seq LIMIT $2""";

  private final Vertx vertx;
  private final Pool pool;
  private final MockGatewayConfig.Returns config;
  private final WebClient client;
  private final WebhookSignature signature;

  MockReturns(Vertx vertx, Pool pool, MockGatewayConfig.Returns config) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.client = config.webhookUrl() == null ? null : WebClient.create(vertx);
    this.signature = config.webhookUrl() == null ? null : new WebhookSignature(config.webhookSecret());
  }

  /** How often due returns are made and deliveries tried. */
  long tickMs() {
    return Math.max(100, Math.min(1_000, config.delayMs() / 2));
  }

  /** A paid key drawn to come back gets its code and due time (once: a repeated call changes nothing). */
  Future<Void> plan(String key, ReturnCode code) {
    return pool.preparedQuery(PLAN).execute(Tuple.of(key, code.code(), config.delayMs() / 1000.0)).mapEmpty();
  }

  /** One pass: make the due returns, then post what is not delivered yet. */
  Future<Void> tick() {
    return pool.preparedQuery(RETURN_DUE).execute(Tuple.of(BATCH))
        .compose(made -> client == null ? Future.<Void>succeededFuture() : deliver());
  }

  private Future<Void> deliver() {
    return pool.preparedQuery(UNDELIVERED).execute(Tuple.of(MAX_ATTEMPTS, 100)).compose(rows -> {
      List<Future<?>> posts = new ArrayList<>();
      for (Row r : rows) posts.add(post(r.getLong("seq"), r.getString("body")));
      return Future.join(posts).transform(ar -> Future.<Void>succeededFuture());
    });
  }

  private Future<?> post(long seq, String body) {
    return client.postAbs(config.webhookUrl())
        .putHeader("Content-Type", "application/json")
        .putHeader(WebhookSignature.HEADER, signature.header(Instant.now(), body))
        .timeout(5_000)
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(body))
        .compose(res -> {
          boolean ok = res.statusCode() / 100 == 2;
          if (!ok) log.warn("webhook answered HTTP {} for event {}", res.statusCode(), seq);
          return pool.preparedQuery(ok ? DELIVERED : NOT_DELIVERED).execute(Tuple.of(seq));
        }, err -> {
          log.debug("webhook delivery of event {} failed: {}", seq, err.toString());
          return pool.preparedQuery(NOT_DELIVERED).execute(Tuple.of(seq));
        });
  }

  /** GET /v1/events?after=SEQ&limit=N: each event with its sequence; nextAfter null at the end. */
  Future<JsonObject> list(long after, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(after, limit)).map(rows -> {
      JsonArray items = new JsonArray();
      long last = after;
      for (Row r : rows) {
        last = r.getLong("seq");
        items.add(new JsonObject(r.getString("body")).put("sequence", last));
      }
      return new JsonObject().put("items", items).put("nextAfter", rows.size() == limit ? String.valueOf(last) : null);
    });
  }

  void close() {
    if (client != null) client.close();
  }
}
