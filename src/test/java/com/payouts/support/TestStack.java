package com.payouts.support;

import com.payouts.app.ConfigKeys;
import com.payouts.app.MainVerticle;
import com.payouts.app.Role;
import com.payouts.app.ServiceGraph;
import com.payouts.app.Settings;
import com.payouts.domain.Transition;
import com.payouts.gateway.PaymentGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The service as the tests run it: the production composition root ({@link ServiceGraph}) over a
 * database of the test class's own and a Redis key prefix of its own, with the verticles of the
 * roles asked for deployed by {@link MainVerticle}. Every test that needs services, the API or
 * the processor gets them here; none wires them by hand.
 */
public final class TestStack {
  public static final String PASSWORD = "correct horse battery";

  public final Vertx vertx;
  public final TestDatabase db;
  public final ServiceGraph graph;
  /** Helpers over the graph's services, with every committed transition captured. */
  public final Fixtures f;
  /** The gateway the graph pays through when it is not the built-in one. */
  public final PaymentGateway gateway;
  public final String redisPrefix;
  private final MainVerticle main;
  private final String deployment;
  private final boolean ownsData;

  private TestStack(Vertx vertx, TestDatabase db, ServiceGraph graph, Fixtures f, PaymentGateway gateway,
      String redisPrefix, MainVerticle main, String deployment, boolean ownsData) {
    this.ownsData = ownsData;
    this.vertx = vertx;
    this.db = db;
    this.graph = graph;
    this.f = f;
    this.gateway = gateway;
    this.redisPrefix = redisPrefix;
    this.main = main;
    this.deployment = deployment;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings a test changes, the roles it deploys and the gateway it pays through. */
  public static final class Builder {
    private final JsonObject overrides = new JsonObject();
    private final Set<Role> roles = EnumSet.noneOf(Role.class);
    private Function<Pool, PaymentGateway> gateway = ScriptedGateway::new;
    private int poolSize = 8;
    private Function<TestDatabase, Pool> servicePool;
    private TestStack over;
    private TestDatabase database;
    private com.payouts.auth.PasswordHasher hasher;
    private ServiceGraph.Node node;

    /** A setting by its environment name, e.g. {@code set(ConfigKeys.LEASE, "5s")}. */
    public Builder set(String key, Object value) {
      overrides.put(key, String.valueOf(value));
      return this;
    }

    public Builder roles(Role... rs) {
      roles.addAll(List.of(rs));
      return this;
    }

    /** The gateway to pay through, made over the test database's pool (default: a {@link ScriptedGateway}). */
    public Builder gateway(Function<Pool, PaymentGateway> g) {
      this.gateway = g;
      return this;
    }

    /** Pay through the real built-in mock gateway over HTTP, on a free port. */
    public Builder builtInGateway() {
      this.gateway = null;
      return this;
    }

    /** The services' pool, made from the test database (e.g. a saturated or an unreachable one). */
    public Builder servicePool(Function<TestDatabase, Pool> p) {
      this.servicePool = p;
      return this;
    }

    /**
     * Another node of {@code other}: its own graph and verticles over the same database and Redis
     * prefix (stopping it leaves both to {@code other}).
     */
    public Builder nodeOf(TestStack other) {
      this.over = other;
      return this;
    }

    /** Over this database, left to its owner: a fresh process's graph over data an earlier one wrote. */
    public Builder over(TestDatabase db) {
      this.database = db;
      return this;
    }

    /** This process as a node: its name, the metrics registry it reports into, its shutdown grace. */
    public Builder node(ServiceGraph.Node n) {
      this.node = n;
      return this;
    }

    public Builder passwordHasher(com.payouts.auth.PasswordHasher h) {
      this.hasher = h;
      return this;
    }

    /** The test database's own pool (the one the scripted gateway and direct row checks use). */
    public Builder poolSize(int n) {
      this.poolSize = n;
      return this;
    }

    public Future<TestStack> start(Vertx vertx) {
      String prefix = over != null ? over.redisPrefix : "t:" + UUID.randomUUID() + ":";
      List<Transition> published = new CopyOnWriteArrayList<>();
      TestDatabase given = over != null ? over.db : database;
      Future<TestDatabase> data = given != null ? Future.succeededFuture(given) : TestDatabase.create(vertx, poolSize);
      return data.compose(db -> {
        JsonObject c = Settings.defaults()
            .put(ConfigKeys.PG_URL, db.url())
            .put(ConfigKeys.REDIS_URL, TestServers.redisUrl())
            .put(ConfigKeys.HTTP_PORT, "0")
            .put(ConfigKeys.GATEWAY_PORT, "0")
            .put(ConfigKeys.GATEWAY_DELAY_MS, "0")
            .put(ConfigKeys.GATEWAY_SEED, "7")
            .put(ConfigKeys.GATEWAY_TIMEOUT, "100ms")
            .put(ConfigKeys.PROCESSOR_INSTANCES, "1")
            .put(ConfigKeys.PROCESSOR_CONCURRENCY, "100")
            .put(ConfigKeys.LEASE, "5s")
            .put(ConfigKeys.ADMIN_EMAIL, "admin-" + UUID.randomUUID() + "@example.com")
            .put(ConfigKeys.ADMIN_PASSWORD, PASSWORD)
            .mergeIn(overrides);
        Settings s = Settings.from(c);
        PaymentGateway g = gateway == null ? null : gateway.apply(db.pool());
        ServiceGraph.Options asked = (g == null ? ServiceGraph.Options.service() : ServiceGraph.Options.service().withGateway(g))
            .withRedisPrefix(prefix).alsoTelling(published::addAll);
        ServiceGraph.Options pooled = servicePool == null ? asked : asked.withServicePool(servicePool.apply(db));
        ServiceGraph.Options o = hasher == null ? pooled : pooled.withPasswordHasher(hasher);
        boolean ownsData = given == null;
        return ServiceGraph.start(vertx, s, o, node == null ? ServiceGraph.Node.standalone() : node).compose(graph -> {
          Fixtures f = new Fixtures(graph, published);
          if (roles.isEmpty()) return Future.succeededFuture(new TestStack(vertx, db, graph, f, g, prefix, null, null, ownsData));
          MainVerticle main = new MainVerticle(graph, roles);
          return vertx.deployVerticle(main).map(id -> new TestStack(vertx, db, graph, f, g, prefix, main, id, ownsData));
        });
      });
    }
  }

  /** The HTTP API's port (with the http role). */
  public int port() {
    return main.httpPort();
  }

  public com.payouts.http.ApiVerticle apiVerticle() {
    return main.api();
  }

  public WebClient http() {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port()));
  }

  /** A new staff user with password {@link #PASSWORD}; its email. */
  public Future<String> staffUser() {
    String email = "staff-" + UUID.randomUUID() + "@example.com";
    return graph.auth.bootstrapAdmin(email, PASSWORD).map(x -> email);
  }

  /** A new staff user (password {@link #PASSWORD}) and a Bearer token of theirs. */
  public Future<String> staffToken() {
    return staffUser().compose(email -> graph.auth.createTokenFor(email, "test", null)).map(issued -> issued.token());
  }

  /** A JSON client of the API signed in as a new staff user. */
  public Future<ApiClient> staffClient() {
    return staffToken().map(token -> new ApiClient(vertx, port(), token));
  }

  /** A JSON client of the API signed in (by token) as a new staff user with {@code role}. */
  public Future<ApiClient> staffClient(com.payouts.auth.StaffRole role) {
    String email = role.wire() + "-" + UUID.randomUUID() + "@example.com";
    return graph.auth.createStaff(email, "Staff " + role.wire(), role, PASSWORD)
        .compose(created -> graph.auth.createTokenFor(email, "test", null))
        .map(issued -> new ApiClient(vertx, port(), issued.token()));
  }

  /** A graceful stop of this node's verticles, as SIGTERM runs it (see {@code MainVerticle.drain}). */
  public Future<Void> drain() {
    if (main == null) return Future.succeededFuture();
    return main.drain();
  }

  /** Undeploys the verticles, closes the graph, deletes the Redis keys under the prefix and drops the database. */
  public Future<Void> stop() {
    Future<?> down = deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment).otherwiseEmpty();
    if (!ownsData) return down.transform(ar -> graph.close());
    return down.transform(ar -> deleteRedisKeys())
        .transform(ar -> graph.close())
        .transform(ar -> db.drop());
  }

  private Future<Void> deleteRedisKeys() {
    Redis redis = graph.redis;
    return redis.send(Request.cmd(Command.KEYS, "*" + redisPrefix + "*")).compose(keys -> {
      if (keys == null || keys.size() == 0) return Future.<Void>succeededFuture();
      Request del = Request.cmd(Command.DEL);
      List<String> names = new ArrayList<>();
      for (Response k : keys) names.add(k.toString());
      names.forEach(del::arg);
      return redis.send(del).<Void>mapEmpty();
    }).otherwiseEmpty();
  }
}
