package com.payouts.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What identifies this installation, generated once and kept in Postgres: it survives restarts,
 * differs between databases, and every process on one database (the service, the gateway
 * command, process-payouts) reads the same value.
 */
public class InstallationRepository {
  static final String INSTALLATION_ID = "installation_id";
  static final String GATEWAY_API_KEY = "gateway_api_key";
  static final String GATEWAY_WEBHOOK_SECRET = "gateway_webhook_secret";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  /** Read once per repository; a failed read is not kept, so the next caller tries again. */
  private final AtomicReference<Future<String>> installationId = new AtomicReference<>();

  public InstallationRepository(Pool pool) {
    this.pool = pool;
  }

  /** 24 hex digits: namespaces this installation's gateway keys. */
  public Future<String> installationId() {
    Future<String> known = installationId.get();
    if (known != null && !known.failed()) return known;
    Future<String> read = valueOrCreate(INSTALLATION_ID, random(12));
    installationId.set(read);
    return read;
  }

  /** The built-in gateway's API key when none is configured: 64 hex digits, created once. */
  public Future<String> generatedGatewayApiKey() {
    return valueOrCreate(GATEWAY_API_KEY, random(32));
  }

  /** The secret the built-in gateway signs its webhooks with when none is configured: 64 hex digits, created once. */
  public Future<String> generatedWebhookSecret() {
    return valueOrCreate(GATEWAY_WEBHOOK_SECRET, random(32));
  }

  /** Insert-if-absent, then read back: two processes starting at once end up with the same value. */
  private Future<String> valueOrCreate(String name, String candidate) {
    return pool.preparedQuery(InstallationSql.INSERT_IF_ABSENT).execute(Tuple.of(name, candidate))
        .compose(inserted -> pool.preparedQuery(InstallationSql.VALUE).execute(Tuple.of(name)))
        .map(rows -> rows.iterator().next().getString("value"));
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
