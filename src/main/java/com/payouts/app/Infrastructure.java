package com.payouts.app;

import com.payouts.bus.Addresses;
import com.payouts.bus.TransitionPublisher;
import com.payouts.db.InstallationRepository;
import com.payouts.db.Migrations;
import com.payouts.db.PayoutRepository;
import com.payouts.db.UserRepository;
import com.payouts.gateway.HttpPaymentGateway;
import com.payouts.gateway.MockGatewayConfig;
import com.payouts.gateway.MockGatewayVerticle;
import com.payouts.service.AccountService;
import com.payouts.service.PayoutService;
import com.payouts.service.PayoutDispatcher;
import com.payouts.queue.JobQueue;
import com.payouts.http.auth.AuthRepository;
import com.payouts.http.auth.AuthService;
import com.payouts.http.auth.LoginThrottle;
import com.payouts.http.auth.SessionCookie;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every command needs: migrated Postgres, Redis, the gateway (the built-in mock unless a URL
 * is configured) and the services over them. Pools are bounded, with bounded wait queues.
 */
public final class Infrastructure {
  private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

  public final Vertx vertx;
  public final Settings settings;
  public final Pool pool;
  public final Redis redis;
  public final HttpPaymentGateway gateway;
  /** What the service sends to the gateway and what the built-in gateway requires. */
  public final String gatewayApiKey;
  public final PayoutService payouts;
  public final AccountService accounts;
  public final JobQueue queue;
  public final PayoutDispatcher dispatcher;
  public final AuthService auth;

  private Infrastructure(Vertx vertx, Settings settings, Pool pool, Redis redis, HttpPaymentGateway gateway,
      String gatewayApiKey) {
    this.vertx = vertx;
    this.settings = settings;
    this.pool = pool;
    this.redis = redis;
    this.gateway = gateway;
    this.gatewayApiKey = gatewayApiKey;
    UserRepository users = new UserRepository(pool);
    this.accounts = new AccountService(users);
    this.payouts = new PayoutService(new PayoutRepository(pool), users, gateway, settings.retryPolicy(),
        new TransitionPublisher(vertx.eventBus()), Clock.systemUTC());
    this.queue = new JobQueue(redis, QUEUE_PREFIX);
    this.auth = new AuthService(vertx, new AuthRepository(pool), new LoginThrottle(redis, LOGIN_PREFIX),
        new SessionCookie(settings.secureCookies()));
    this.dispatcher = new PayoutDispatcher(payouts, queue, () -> vertx.eventBus().publish(Addresses.QUEUE_WAKE, null));
  }

  static final int GATEWAY_POOL_SIZE = 4;

  /** Redis keys of the job queue start with this. */
  public static final String QUEUE_PREFIX = "payouts:";
  /** Redis keys of the login throttle, shared by every node. */
  public static final String LOGIN_PREFIX = QUEUE_PREFIX + "login:";

  /** Migrates, connects and (unless a gateway URL is configured) deploys the built-in mock gateway. */
  public static Future<Infrastructure> start(Vertx vertx, Settings s, boolean withBuiltInGateway) {
    return vertx.executeBlocking(() -> Migrations.migrate(s.pgUrl()))
        .compose(applied -> {
          if (applied > 0) log.info("applied {} schema migrations", applied);
          Pool pool = pool(vertx, s.pgUrl(), s.pgPoolSize());
          Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(s.redisUrl())
              .setMaxPoolSize(8).setMaxPoolWaiting(10_000).setMaxWaitingHandlers(100_000));
          return gatewayApiKey(s, pool).compose(apiKey -> {
            // The built-in gateway stands in for a separate service: its own connections, so its small
            // lookups never queue behind the processor's batch statements.
            Future<String> gatewayUrl;
            if (withBuiltInGateway && s.builtInGateway()) {
              MockGatewayVerticle mock = new MockGatewayVerticle(mockConfig(s, apiKey), pool(vertx, s.pgUrl(), GATEWAY_POOL_SIZE));
              gatewayUrl = vertx.deployVerticle(mock).map(id -> "http://127.0.0.1:" + mock.actualPort());
            } else {
              gatewayUrl = Future.succeededFuture(s.effectiveGatewayUrl());
            }
            return gatewayUrl.map(url -> new Infrastructure(vertx, s, pool, redis,
                new HttpPaymentGateway(vertx, url, s.gatewayTimeout(), apiKey), apiKey));
          });
        });
  }

  /**
   * The configured key, else the one generated once for this database: the service, a separate
   * {@code gateway} process and the commands that pay all read the same one.
   */
  private static Future<String> gatewayApiKey(Settings s, Pool pool) {
    if (s.gatewayApiKey() != null) return Future.succeededFuture(s.gatewayApiKey());
    if (!s.builtInGateway()) {
      log.info("no {} set: using the key generated for this database's built-in gateway", ConfigKeys.GATEWAY_API_KEY);
    }
    return new InstallationRepository(pool).generatedGatewayApiKey();
  }

  public static MockGatewayConfig mockConfig(Settings s, String apiKey) {
    return new MockGatewayConfig(s.gatewayPort(), s.gatewayDelayMinMs(), s.gatewayDelayMaxMs(), s.gatewaySeed(),
        s.gatewaySuccessRates(), s.gatewayHangRate(), s.gatewayFailRate(), apiKey);
  }

  public static Pool pool(Vertx vertx, String url, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(5_000).setConnectionTimeout(5))
        .connectingTo(PgConnectOptions.fromUri(url).setPipeliningLimit(64)
            // Named statements per connection: the batch statements are parsed once, not per group.
            .setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(256)
            .setPreparedStatementCacheSqlLimit(8_192))
        .using(vertx)
        .build();
  }

  /**
   * Creates the configured admin on first start. Without PAYOUTS_ADMIN_PASSWORD a random password
   * is generated and returned, to be shown once.
   */
  public Future<java.util.Optional<String>> bootstrapAdmin() {
    return auth.bootstrapAdmin(settings.adminEmail(), settings.adminPassword());
  }

  public Future<?> pingPostgres() {
    return pool.query("SELECT 1").execute();
  }

  public Future<?> pingRedis() {
    return redis.send(Request.cmd(Command.PING));
  }

  public Future<Void> close() {
    gateway.close();
    return Future.join(pool.close(), redis.close()).mapEmpty();
  }
}
