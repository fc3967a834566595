package com.payouts.security;

import static com.payouts.support.Await.await;

import com.payouts.app.ConfigKeys;
import com.payouts.app.Role;
import com.payouts.auth.AuthService;
import com.payouts.http.ApiVerticle;
import com.payouts.http.HttpEdge;
import com.payouts.support.Fixtures;
import com.payouts.support.TestDatabase;
import com.payouts.support.TestStack;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the probes attack: a real API verticle over a test database, the machine's Redis (its job
 * queue and login throttle under prefixes of their own) and the stats aggregator, so the bridge
 * pushes. Clients can come from any loopback address (127.0.0.2, 127.0.0.3, ...), so "another
 * address" is a real other peer, not a header.
 */
final class Stack {
  static final String PASSWORD = TestStack.PASSWORD;

  final Vertx vertx;
  /** The database, the Redis prefix and the stats aggregator (so the bridge pushes); nodes add HTTP. */
  final TestStack main;
  final TestDatabase db;
  final Fixtures f;
  final AuthService auth;
  final String staffEmail;
  final String staffToken;
  private final List<TestStack> nodes = new ArrayList<>();

  private Stack(Vertx vertx, TestStack main, String staffEmail, String staffToken) {
    this.vertx = vertx;
    this.main = main;
    this.db = main.db;
    this.f = main.f;
    this.auth = main.graph.auth;
    this.staffEmail = staffEmail;
    this.staffToken = staffToken;
  }

  static Stack create(Vertx vertx) {
    TestStack main = await(TestStack.builder().roles(Role.STATS).start(vertx));
    String email = await(main.staffUser());
    String token = await(main.graph.auth.createTokenFor(email, "test", null)).token();
    return new Stack(vertx, main, email, token);
  }

  /** A new node (its own graph and API verticle) over the same database and Redis, with these bounds. */
  ApiVerticle deploy(HttpEdge edge, UnaryOperator<TestStack.Builder> more) {
    TestStack.Builder b = TestStack.builder().nodeOf(main).roles(Role.HTTP)
        .set(ConfigKeys.HTTP_IDLE_TIMEOUT, edge.idleTimeout().toMillis() + "ms")
        .set(ConfigKeys.HTTP_HEADER_TIMEOUT, edge.headerTimeout().toMillis() + "ms")
        .set(ConfigKeys.HTTP_BODY_TIMEOUT, edge.bodyTimeout().toMillis() + "ms")
        .set(ConfigKeys.HTTP_MAX_CONNECTIONS_PER_CLIENT, edge.maxConnectionsPerClient())
        .set(ConfigKeys.BRIDGE_MAX_SOCKETS_PER_SESSION, edge.maxSocketsPerSession());
    TestStack node = await(more.apply(b).start(vertx));
    nodes.add(node);
    return node.apiVerticle();
  }

  ApiVerticle deploy(HttpEdge edge) {
    return deploy(edge, b -> b);
  }

  int api(HttpEdge edge, UnaryOperator<TestStack.Builder> more) {
    return deploy(edge, more).actualPort();
  }

  int api(HttpEdge edge) {
    return api(edge, b -> b);
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
    for (TestStack node : nodes) await(node.stop());
    await(main.stop());
  }
}
