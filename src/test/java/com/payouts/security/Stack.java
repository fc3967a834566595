package com.payouts.security;

import static com.payouts.support.Await.await;

import com.payouts.bus.TransitionPublisher;
import com.payouts.db.StatsRepository;
import com.payouts.domain.RetryPolicy;
import com.payouts.http.ApiVerticle;
import com.payouts.http.HttpEdge;
import com.payouts.http.auth.AuthService;
import com.payouts.stats.StatsAggregatorVerticle;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestAuth;
import com.payouts.support.TestDatabase;
import com.payouts.support.TestQueue;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Tuple;
import java.util.Map;

/**
 * What the probes attack: a real API verticle over a test database, the machine's Redis (its job
 * queue and login throttle under prefixes of their own) and the stats aggregator, so the bridge
 * pushes. Clients can come from any loopback address (127.0.0.2, 127.0.0.3, ...), so "another
 * address" is a real other peer, not a header.
 */
final class Stack {
  static final String PASSWORD = "correct horse battery";

  final Vertx vertx;
  final TestDatabase db;
  final Fixtures f;
  final TestQueue jobs;
  final TestAuth staff;
  final String staffToken;

  private Stack(Vertx vertx, TestDatabase db, Fixtures f, TestQueue jobs, TestAuth staff, String staffToken) {
    this.vertx = vertx;
    this.db = db;
    this.f = f;
    this.jobs = jobs;
    this.staff = staff;
    this.staffToken = staffToken;
  }

  static Stack create(Vertx vertx) {
    TestDatabase db = await(TestDatabase.create(vertx, 8));
    Fixtures f = new Fixtures(db.pool(), new ScriptedGateway(db.pool()), RetryPolicy.DEFAULT,
        new TransitionPublisher(vertx.eventBus()));
    TestQueue jobs = new TestQueue(vertx, f.payouts);
    TestAuth staff = TestAuth.over(vertx, db.pool());
    String token = await(staff.staffToken());
    await(vertx.deployVerticle(new StatsAggregatorVerticle(new StatsRepository(db.pool()), jobs.queue)));
    return new Stack(vertx, db, f, jobs, staff, token);
  }

  /** A new API verticle ("node") over the same database, with these bounds and this sign-in service. */
  int api(HttpEdge edge, AuthService auth) {
    return deploy(edge, auth).actualPort();
  }

  ApiVerticle deploy(HttpEdge edge, AuthService auth) {
    ApiVerticle api = new ApiVerticle(0, new ApiVerticle.Services(f.payouts, f.accounts, jobs.dispatcher, jobs.queue,
        auth, db.pool(), Map.of()), edge);
    await(vertx.deployVerticle(api));
    return api;
  }

  int api(HttpEdge edge) {
    return api(edge, staff.auth);
  }

  /** A client whose connections come from {@code localAddress}; kept-alive connections are let go early. */
  WebClient client(int port, String localAddress) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setLocalAddress(localAddress).setKeepAliveTimeout(1));
  }

  static HttpResponse<Buffer> login(WebClient http, String email, String password, String... headers) {
    HttpRequest<Buffer> req = http.post("/api/auth/login").putHeader("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) req.putHeader(headers[i], headers[i + 1]);
    return await(req.sendJsonObject(new JsonObject().put("email", email).put("password", password)));
  }

  long count(String sql, Object... args) {
    return await(db.pool().preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
  }

  /** Every row a refused request might have changed, in one comparable line. */
  String rows() {
    return await(db.pool().query("""
        SELECT (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM wallets) || '/'
          || (SELECT coalesce(sum(available), 0) || ':' || coalesce(sum(held), 0) FROM wallets) || '/'
          || (SELECT count(*) FROM payout_requests) || '/'
          || (SELECT count(*) || ':' || coalesce(string_agg(status, ',' ORDER BY id), '') FROM payout_requests) || '/'
          || (SELECT count(*) FROM wallet_transactions) || '/' || (SELECT count(*) FROM payout_events) || '/'
          || (SELECT count(*) || ':' || count(revoked_at) FROM api_tokens) || '/'
          || (SELECT count(*) FILTER (WHERE payout_eligible) FROM users) || '/'
          || (SELECT count(*) FROM sessions) AS state""").execute())
        .iterator().next().getString("state");
  }

  void stop() {
    jobs.drop();
    await(db.drop());
  }
}
