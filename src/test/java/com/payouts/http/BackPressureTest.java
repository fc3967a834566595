package com.payouts.http;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.app.Infrastructure;
import com.payouts.domain.RetryPolicy;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestAuth;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With Postgres gone or saturated the API sheds load with 503 + Retry-After, fast, and recovers. */
@ExtendWith(VertxExtension.class)
class BackPressureTest {
  static TestDatabase db;

  @BeforeAll
  static void start(Vertx vertx) {
    db = await(TestDatabase.create(vertx));
  }

  @AfterAll
  static void stop() {
    await(db.drop());
  }

  static ApiClient deploy(Vertx vertx, Pool pool, String token, TestAuth auth) {
    Fixtures f = new Fixtures(pool, new ScriptedGateway(pool), RetryPolicy.DEFAULT);
    ApiVerticle v = new ApiVerticle(0, new ApiVerticle.Services(f.payouts, f.accounts, null, null, auth.auth, pool,
        Map.of("postgres", () -> pool.query("SELECT 1").execute())));
    await(vertx.deployVerticle(v));
    return new ApiClient(vertx, v.actualPort(), token);
  }

  @Test
  void anUnreachableDatabaseGets503WithRetryAfterQuickly(Vertx vertx) {
    TestAuth auth = TestAuth.over(vertx, db.pool());
    String token = await(auth.staffToken());
    // The API's own pool points at a port where nothing listens; auth still uses the real one.
    Pool dead = Infrastructure.pool(vertx, "postgresql://postgres@127.0.0.1:1/nothing", 2);
    ApiClient api = deploy(vertx, dead, token, auth);
    long start = System.nanoTime();
    HttpResponse<Buffer> r = api.get("/api/payouts/1");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertEquals("1", r.getHeader("Retry-After"));
    assertEquals("unavailable", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertTrue(ms < 3000, "answered in " + ms + " ms");
    assertEquals(503, api.get("/health").statusCode());
  }

  @Test
  void aSaturatedPoolShedsLoadAndRecovers(Vertx vertx) {
    TestAuth auth = TestAuth.over(vertx, db.pool());
    String token = await(auth.staffToken());
    Pool tiny = PgBuilder.pool().with(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(2).setConnectionTimeout(2))
        .connectingTo(PgConnectOptions.fromUri(db.url())).using(vertx).build();
    ApiClient api = deploy(vertx, tiny, token, auth);
    long user = await(new Fixtures(db.pool(), null, RetryPolicy.DEFAULT).userWith("10.00")).id();
    Future<?> hog = tiny.query("SELECT pg_sleep(4)").execute(); // holds the only connection
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 10; i++) calls.add(api.raw().get("/api/users/" + user).bearerTokenAuthentication(token).send());
    await(Future.join(calls).otherwiseEmpty());
    long ms = (System.nanoTime() - start) / 1_000_000;
    long shed = calls.stream().filter(c -> c.succeeded() && c.result().statusCode() == 503).count();
    assertTrue(shed >= 8, "most calls shed, got " + shed);
    assertTrue(ms < 3500, "shed before the hog finished: " + ms + " ms");
    calls.stream().filter(c -> c.result().statusCode() == 503)
        .forEach(c -> assertEquals("1", c.result().getHeader("Retry-After")));
    await(hog);
    assertEquals(200, api.get("/api/users/" + user).statusCode(), "recovers by itself");
    await(tiny.close());
  }
}
