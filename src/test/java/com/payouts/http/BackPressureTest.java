package com.payouts.http;

import com.payouts.app.ServiceGraph;
import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.RetryPolicy;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
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
  @Test
  void anUnreachableDatabaseGets503WithRetryAfter(Vertx vertx) {
    // The services' pool points at a port where nothing listens (the migrations used the real one).
    TestStack stack = await(TestStack.builder()
        .servicePool(db -> ServiceGraph.pool(vertx, "postgresql://postgres@127.0.0.1:1/nothing", 2))
        .roles(Role.HTTP).start(vertx));
    try {
      ApiClient api = new ApiClient(vertx, stack.port(), "pat_" + "x".repeat(43));
      HttpResponse<Buffer> r = api.get("/api/payouts/1");
      assertEquals(503, r.statusCode(), r.bodyAsString());
      assertEquals("1", r.getHeader("Retry-After"));
      assertEquals("unavailable", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
      HttpResponse<Buffer> health = api.get("/health");
      assertEquals(503, health.statusCode());
      assertEquals("down", health.bodyAsJsonObject().getString("postgres"));
    } finally {
      await(stack.stop());
    }
  }

  @Test
  void aSaturatedPoolShedsLoadAndRecovers(Vertx vertx) {
    // One connection and a wait queue of two: the eleventh request in line is refused, not queued.
    Pool[] tiny = new Pool[1];
    TestStack stack = await(TestStack.builder().servicePool(db -> tiny[0] = PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(2).setConnectionTimeout(2))
            .connectingTo(PgConnectOptions.fromUri(db.url())).using(vertx).build())
        .roles(Role.HTTP).start(vertx));
    try {
      // Credentials and the user are made before the pool is saturated.
      String token = await(stack.staffToken());
      ApiClient api = new ApiClient(vertx, stack.port(), token);
      long user = await(stack.f.userWith("10.00")).id();
      Future<?> hog = tiny[0].query("SELECT pg_sleep(4)").execute(); // holds the only connection
      List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) calls.add(api.raw().get("/api/users/" + user).bearerTokenAuthentication(token).send());
      await(Future.join(calls).otherwiseEmpty());
      assertFalse(hog.isComplete(), "every answer came while the connection was still held");
      long shed = calls.stream().filter(c -> c.succeeded() && c.result().statusCode() == 503).count();
      assertTrue(shed >= 8, "most calls shed, got " + shed);
      calls.stream().filter(c -> c.result().statusCode() == 503)
          .forEach(c -> assertEquals("1", c.result().getHeader("Retry-After")));
      await(hog);
      assertEquals(200, api.get("/api/users/" + user).statusCode(), "recovers by itself");
    } finally {
      await(stack.stop());
    }
  }
}
