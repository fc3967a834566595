package com.payouts.app;

import com.payouts.auth.AuthRepository;
import com.payouts.auth.AuthService;
import com.payouts.auth.LoginThrottle;
import com.payouts.auth.PasswordHasher;
import com.payouts.bus.Addresses;
import com.payouts.bus.TransitionPublisher;
import com.payouts.db.IdempotencyRepository;
import com.payouts.db.InstallationRepository;
import com.payouts.db.LedgerVerifier;
import com.payouts.db.Migrations;
import com.payouts.db.PayoutRepository;
import com.payouts.db.StatsRepository;
import com.payouts.db.UserRepository;
import com.payouts.db.GatewayEventRepository;
import com.payouts.gateway.GatewayEvents;
import com.payouts.gateway.GatewayReport;
import com.payouts.gateway.WebhookSignature;
import com.payouts.retry.GatewayEventPollerVerticle;
import com.payouts.service.GatewayEventIntake;
import com.payouts.service.ReconciliationRuns;
import com.payouts.db.ReconciliationRepository;
import com.payouts.gateway.HttpPaymentGateway;
import com.payouts.gateway.PaymentGateway;
import com.payouts.http.ApiVerticle;
import com.payouts.http.OpsRoutes;
import com.payouts.http.OpsVerticle;
import com.payouts.http.Readiness;
import com.payouts.metrics.MeteredGateway;
import com.payouts.metrics.MetricsVerticle;
import com.payouts.metrics.ServiceMetrics;
import com.payouts.queue.RedisLease;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import com.payouts.mockgateway.MockGatewayConfig;
import com.payouts.mockgateway.MockGatewayVerticle;
import com.payouts.processor.JobRunner;
import com.payouts.processor.ProcessorVerticle;
import com.payouts.queue.JobQueue;
import com.payouts.retry.RetrySchedulerVerticle;
import com.payouts.service.AccountService;
import com.payouts.service.IdempotentRequests;
import com.payouts.service.LedgerAudit;
import com.payouts.service.Reconciliation;
import com.payouts.service.PayoutDispatcher;
import com.payouts.service.PayoutService;
import com.payouts.service.RecoverySweep;
import com.payouts.service.TransitionListener;
import com.payouts.stats.StatsAggregatorVerticle;
import com.payouts.stats.StatsService;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one composition root: from {@link Settings} it builds the service's object graph (pools and
 * clients, repositories, services, and the verticles over them) for {@code serve}, for every command
 * and for the tests. Postgres is migrated first; unless a gateway URL is configured (or a gateway is
 * given, as tests do), the built-in mock gateway is deployed with connections of its own.
 */
public final class ServiceGraph {
  private static final Logger log = LoggerFactory.getLogger(ServiceGraph.class);

  /** Redis keys of the job queue start with this. */
  public static final String QUEUE_PREFIX = "payouts:";
  static final int GATEWAY_POOL_SIZE = 4;

  /**
   * What callers other than {@code serve} change: whether to deploy the built-in gateway when none
   * is configured, a gateway to use instead of any over HTTP, the Redis key prefix (the queue's and
   * the login throttle's), who else hears of committed transitions, and the clock.
   */
  public record Options(boolean builtInGateway, PaymentGateway gateway, String redisPrefix,
      TransitionListener alsoTell, Clock clock, Pool servicePool, PasswordHasher hasher) {
    public static Options service() {
      return new Options(true, null, QUEUE_PREFIX, TransitionListener.NONE, Clock.systemUTC(), null, new PasswordHasher());
    }

    /** A command that does not pay needs no gateway of its own. */
    public static Options command(boolean pays) {
      return new Options(pays, null, QUEUE_PREFIX, TransitionListener.NONE, Clock.systemUTC(), null, new PasswordHasher());
    }

    public Options withGateway(PaymentGateway g) {
      return new Options(false, g, redisPrefix, alsoTell, clock, servicePool, hasher);
    }

    public Options withRedisPrefix(String prefix) {
      return new Options(builtInGateway, gateway, prefix, alsoTell, clock, servicePool, hasher);
    }

    public Options alsoTelling(TransitionListener listener) {
      return new Options(builtInGateway, gateway, redisPrefix, listener, clock, servicePool, hasher);
    }

    /** How passwords are derived and checked (tests of the bound on checks in flight). */
    public Options withPasswordHasher(PasswordHasher h) {
      return new Options(builtInGateway, gateway, redisPrefix, alsoTell, clock, servicePool, h);
    }

    /** The services' pool instead of one over PAYOUTS_PG_URL (tests of a dead or saturated database). */
    public Options withServicePool(Pool pool) {
      return new Options(builtInGateway, gateway, redisPrefix, alsoTell, clock, pool, hasher);
    }
  }

  /**
   * This process as a node: its name (carried by the transitions it commits), its metrics, and how
   * long it drains on shutdown.
   */
  public record Node(String name, ServiceMetrics metrics, Duration shutdownGrace) {
    /** A process on its own: metrics in a registry of its own, no drain. */
    public static Node standalone() {
      return new Node("local", new ServiceMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), Duration.ZERO);
    }
  }

  public final Vertx vertx;
  public final Settings settings;
  private final Node node;
  public Node node() {
    return node;
  }

  /** Whether this node takes traffic (false once it shuts down). */
  public final Readiness readiness = new Readiness();
  public final Pool pool;
  public final Redis redis;
  public final PaymentGateway gateway;
  /** What the service sends to the gateway and what the built-in gateway requires. */
  public final String gatewayApiKey;
  /** The shared secret of the gateway's webhook signature (configured, or generated for the database). */
  public final String webhookSecret;
  public final GatewayEventIntake gatewayEvents;
  public final PayoutRepository payoutRepository;
  public final UserRepository users;
  public final StatsRepository stats;
  public final IdempotencyRepository idempotencyKeys;
  public final JobQueue queue;
  public final PayoutService payouts;
  public final AccountService accounts;
  public final PayoutDispatcher dispatcher;
  public final AuthService auth;
  public final IdempotentRequests idempotentRequests;
  private final MockGatewayVerticle builtInGateway;
  private final Pool gatewayPool;
  private final String redisPrefix;

  private ServiceGraph(Vertx vertx, Settings s, Options o, Node node, Pool pool, Redis redis, PaymentGateway gateway,
      String gatewayApiKey, MockGatewayVerticle builtInGateway, Pool gatewayPool, String webhookSecret) {
    this.webhookSecret = webhookSecret;
    this.vertx = vertx;
    this.settings = s;
    this.node = node;
    this.redisPrefix = o.redisPrefix();
    this.pool = pool;
    this.redis = redis;
    this.gateway = gateway;
    this.gatewayApiKey = gatewayApiKey;
    this.builtInGateway = builtInGateway;
    this.gatewayPool = gatewayPool;
    this.payoutRepository = new PayoutRepository(pool);
    this.users = new UserRepository(pool);
    this.stats = new StatsRepository(pool);
    this.idempotencyKeys = new IdempotencyRepository(pool);
    this.queue = new JobQueue(redis, o.redisPrefix());
    TransitionListener publisher = new TransitionPublisher(vertx.eventBus(), node.name());
    TransitionListener counted = node.metrics().transitionCounter();
    TransitionListener listener = ts -> {
      publisher.committed(ts);
      counted.committed(ts);
      o.alsoTell().committed(ts);
    };
    this.payouts = new PayoutService(payoutRepository, users, new MeteredGateway(gateway, node.metrics()),
        s.retryPolicy(), listener, o.clock(), s.approvalPolicy(), s.velocityLimits());
    this.accounts = new AccountService(users);
    this.dispatcher = new PayoutDispatcher(payouts, queue, () -> vertx.eventBus().publish(Addresses.QUEUE_WAKE, null));
    this.auth = new AuthService(vertx, new AuthRepository(pool), o.hasher(),
        new LoginThrottle(redis, o.redisPrefix() + "login:"));
    this.idempotentRequests = new IdempotentRequests(pool, idempotencyKeys, s.idempotencyTtl());
    this.gatewayEvents = new GatewayEventIntake(payouts, gateway instanceof GatewayEvents g ? g : null,
        new GatewayEventRepository(pool));
  }

  /** Migrates, connects and, when it is wanted, deploys the built-in mock gateway. */
  public static Future<ServiceGraph> start(Vertx vertx, Settings s, Options o) {
    return start(vertx, s, o, Node.standalone());
  }

  /** The same for one node of a cluster (or a process that serves its metrics). */
  public static Future<ServiceGraph> start(Vertx vertx, Settings s, Options o, Node node) {
    return vertx.executeBlocking(() -> Migrations.migrate(s.pgUrl()))
        .compose(applied -> {
          if (applied > 0) log.info("applied {} schema migrations", applied);
          Pool pool = o.servicePool() != null ? o.servicePool() : pool(vertx, s.pgUrl(), s.pgPoolSize());
          Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(s.redisUrl())
              .setMaxPoolSize(8).setMaxPoolWaiting(10_000).setMaxWaitingHandlers(100_000));
          // A given gateway (a test's) needs nothing from the database at start: the webhook's
          // secret is then read when the first webhook arrives.
          if (o.gateway() != null) {
            return Future.succeededFuture(new ServiceGraph(vertx, s, o, node, pool, redis, o.gateway(), null, null, null,
                s.returns().webhookSecret()));
          }
          return webhookSecret(s, pool).compose(secret -> {
            return gatewayApiKey(s, pool).compose(apiKey -> {
              if (!(o.builtInGateway() && s.builtInGateway())) {
                return Future.succeededFuture(new ServiceGraph(vertx, s, o, node, pool, redis,
                    new HttpPaymentGateway(vertx, s.effectiveGatewayUrl(), s.gatewayTimeout(), apiKey), apiKey, null, null,
                    secret));
              }
              // The built-in gateway stands in for a separate service: its own connections, so its small
              // lookups never queue behind the processor's batch statements.
              Pool gatewayPool = pool(vertx, s.pgUrl(), GATEWAY_POOL_SIZE);
              MockGatewayVerticle mock = new MockGatewayVerticle(mockConfig(s, apiKey, secret), gatewayPool);
              return vertx.deployVerticle(mock).map(id -> new ServiceGraph(vertx, s, o, node, pool, redis,
                  new HttpPaymentGateway(vertx, "http://127.0.0.1:" + mock.actualPort(), s.gatewayTimeout(), apiKey),
                  apiKey, mock, gatewayPool, secret));
            });
          });
        });
  }

  private static Future<String> webhookSecret(Settings s, Pool pool) {
    if (s.returns().webhookSecret() != null) return Future.succeededFuture(s.returns().webhookSecret());
    return new InstallationRepository(pool).generatedWebhookSecret();
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

  /** Without a webhook secret: the built-in gateway lists its returns but posts no webhook. */
  public static MockGatewayConfig mockConfig(Settings s, String apiKey) {
    return mockConfig(s, apiKey, null);
  }

  public static MockGatewayConfig mockConfig(Settings s, String apiKey, String webhookSecret) {
    String webhook = webhookSecret == null ? null : s.effectiveWebhookUrl();
    return new MockGatewayConfig(s.gatewayPort(), s.gatewayDelayMinMs(), s.gatewayDelayMaxMs(), s.gatewaySeed(),
        s.gatewaySuccessRates(), s.gatewayHangRate(), s.gatewayFailRate(), apiKey,
        new MockGatewayConfig.Returns(s.returns().rate(), s.returns().delay().toMillis(), webhook, webhookSecret));
  }

  /** Statements longer than this are not kept prepared. */
  static final int CACHED_SQL_LIMIT = 8_192;

  /**
   * Bounded, with a bounded wait queue; named statements cached per connection (parsed once),
   * except those that move payouts by id, which are planned at each call for the table as it is
   * ({@link PayoutRepository#plannedPerCall}).
   */
  public static Pool pool(Vertx vertx, String url, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(5_000).setConnectionTimeout(5))
        .connectingTo(PgConnectOptions.fromUri(url).setPipeliningLimit(64)
            .setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(256)
            .setPreparedStatementCacheSqlFilter(sql -> sql.length() < CACHED_SQL_LIMIT && !PayoutRepository.plannedPerCall(sql)))
        .using(vertx)
        .build();
  }

  // ---- the verticles over this graph -------------------------------------------------------------

  /** The HTTP API, the dashboard and its bridge, with /health over Postgres and Redis. */
  public ApiVerticle apiVerticle() {
    return apiVerticle(settings.httpPort());
  }

  /** The same on another port (a test brings the API back on the port it had). */
  public ApiVerticle apiVerticle(int port) {
    Map<String, Supplier<Future<?>>> health = new LinkedHashMap<>();
    health.put("postgres", this::pingPostgres);
    health.put("redis", this::pingRedis);
    return new ApiVerticle(new ApiVerticle.Config(port, settings.httpEdge(), settings.secureCookies()),
        new ApiVerticle.Services(payouts, accounts, dispatcher, queue, auth, new StatsService(stats, queue), health,
            new ApiVerticle.AfterPayment(gatewayEvents, webhookSignature(),
                settings.returns().webhookTolerance(), reconciliationRuns())),
        idempotentRequests).withOps(opsRoutes()).withShutdownGrace(httpGrace());
  }

  /** /health, /health/live, /health/ready and /metrics: on every node, whatever its roles. */
  public OpsRoutes opsRoutes() {
    Map<String, Supplier<Future<?>>> health = new LinkedHashMap<>();
    health.put("postgres", this::pingPostgres);
    health.put("redis", this::pingRedis);
    return new OpsRoutes(health, readiness, this::scrapeMetrics);
  }

  /**
   * The metrics' text with the queue's figures and the payout counts read just before (a Redis call
   * and one grouped scan per scrape; every node reports the same counts, aggregate them with max).
   */
  public Future<String> scrapeMetrics() {
    ServiceMetrics m = node.metrics();
    Future<?> queueRead = queue.depth().onSuccess(m::queue).otherwiseEmpty();
    Future<?> countsRead = stats.countsByStatusAndMethod().onSuccess(m::payouts).otherwiseEmpty();
    return Future.join(queueRead, countsRead).transform(ar -> vertx.executeBlocking(m::scrape, false));
  }

  /** A node without the http role: only the ops routes, on the HTTP port. */
  public OpsVerticle opsVerticle() {
    return new OpsVerticle(settings.httpPort(), opsRoutes());
  }

  /** Keeps the gauges fresh between scrapes: the event-loop probe, the queue's figures. */
  public MetricsVerticle metricsVerticle() {
    return new MetricsVerticle(node.metrics(), queue, Duration.ofSeconds(5));
  }

  /** Requests in flight get at most ten seconds of the grace (a dashboard's socket would use it all). */
  private Duration httpGrace() {
    Duration tenSeconds = Duration.ofSeconds(10);
    return node.shutdownGrace().compareTo(tenSeconds) > 0 ? tenSeconds : node.shutdownGrace();
  }

  /** One node at a time holds it; lapses within a lease time (at least a second) when its holder dies. */
  private RedisLease lease(String what) {
    Duration ttl = settings.lease().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : settings.lease();
    return new RedisLease(redis, redisPrefix + "lease:" + what,
        node.name() + "/" + java.util.UUID.randomUUID().toString().substring(0, 8), ttl);
  }

  /** One processor per configured instance (each on its own event loop). */
  public List<ProcessorVerticle> processorVerticles() {
    // An unknown gateway outcome is looked up again once the gateway's own timeout has passed
    // (plus a margin: a second, or the timeout itself when that is shorter).
    Duration timeout = settings.gatewayTimeout();
    Duration recheck = timeout.plus(timeout.compareTo(Duration.ofSeconds(1)) < 0 ? timeout : Duration.ofSeconds(1));
    List<ProcessorVerticle> out = new ArrayList<>();
    for (int i = 0; i < settings.processorInstances(); i++) {
      out.add(new ProcessorVerticle(queue, new JobRunner(payouts, queue, "processor", recheck),
          settings.processorConcurrency(), settings.lease()).withShutdownGrace(node.shutdownGrace()));
    }
    return out;
  }

  public RetrySchedulerVerticle retrySchedulerVerticle() {
    return new RetrySchedulerVerticle(queue, new RecoverySweep(payoutRepository, queue, settings.lease()),
        settings.retrySweepInterval(), settings.lease(), idempotencyKeys).holding(lease("retry"));
  }

  /** The webhook's signature check, its secret read from the database once when none is configured. */
  private Supplier<Future<WebhookSignature>> webhookSignature() {
    if (webhookSecret != null) {
      Future<WebhookSignature> known = Future.succeededFuture(new WebhookSignature(webhookSecret));
      return () -> known;
    }
    java.util.concurrent.atomic.AtomicReference<Future<WebhookSignature>> read = new java.util.concurrent.atomic.AtomicReference<>();
    return () -> {
      Future<WebhookSignature> f = read.get();
      if (f == null || f.failed()) {
        f = new InstallationRepository(pool).generatedWebhookSecret().map(WebhookSignature::new);
        read.set(f);
      }
      return f;
    };
  }

  /** Reads the gateway's event list on a timer, for webhooks that never arrived. */
  public GatewayEventPollerVerticle gatewayEventPollerVerticle() {
    return new GatewayEventPollerVerticle(gatewayEvents, settings.returns().pollInterval());
  }

  public StatsAggregatorVerticle statsAggregatorVerticle() {
    return new StatsAggregatorVerticle(stats, queue).holding(lease("stats"));
  }

  /** Where the built-in gateway listens, when this graph deployed one. */
  public Optional<String> builtInGatewayUrl() {
    return builtInGateway == null ? Optional.empty() : Optional.of("http://127.0.0.1:" + builtInGateway.actualPort());
  }

  /**
   * The ledger's invariants and the payouts against the gateway's report; empty when the gateway
   * cannot report (a test's scripted one).
   */
  public LedgerAudit ledgerAudit() {
    if (!(gateway instanceof GatewayReport report)) {
      throw new IllegalStateException("this graph's gateway keeps no report to reconcile with");
    }
    return new LedgerAudit(new LedgerVerifier(pool), new Reconciliation(report, payoutRepository));
  }

  /** Reconciliation with the gateway's report, kept for the dashboard; refuses when the gateway keeps no report. */
  public ReconciliationRuns reconciliationRuns() {
    Reconciliation r = gateway instanceof GatewayReport report ? new Reconciliation(report, payoutRepository) : null;
    return new ReconciliationRuns(r, new ReconciliationRepository(pool));
  }

  // ---- for commands and health -------------------------------------------------------------------

  /**
   * Creates the configured admin on first start. Without PAYOUTS_ADMIN_PASSWORD a random password
   * is generated and returned, to be shown once.
   */
  public Future<Optional<String>> bootstrapAdmin() {
    return auth.bootstrapAdmin(settings.adminEmail(), settings.adminPassword());
  }

  public Future<?> pingPostgres() {
    return pool.query("SELECT 1").execute();
  }

  public Future<?> pingRedis() {
    return redis.send(Request.cmd(Command.PING));
  }

  /** Undeploys the built-in gateway (it flushes what it recorded) and closes every client. */
  public Future<Void> close() {
    Future<?> gatewayDown = builtInGateway == null || builtInGateway.deploymentID() == null
        ? Future.succeededFuture() : vertx.undeploy(builtInGateway.deploymentID()).otherwiseEmpty();
    return gatewayDown.transform(ar -> {
      if (gateway instanceof HttpPaymentGateway http) http.close();
      List<Future<?>> closing = new ArrayList<>(List.of(pool.close(), redis.close()));
      if (gatewayPool != null) closing.add(gatewayPool.close());
      return Future.join(closing).mapEmpty();
    });
  }
}
