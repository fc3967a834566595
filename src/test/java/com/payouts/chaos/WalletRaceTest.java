package com.payouts.chaos;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.db.LedgerVerifier;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.UserAccount;
import com.payouts.http.ApiVerticle;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many payout requests at once against one wallet: the money is held once, never twice. */
@ExtendWith(VertxExtension.class)
class WalletRaceTest {
  static final int REQUESTS = 100;

  static TestDatabase db;
  static TestStack stack;
  static Fixtures f;
  static WebClient http;
  static String token;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().poolSize(16).roles(Role.HTTP).start(vertx));
    db = stack.db;
    f = stack.f;
    token = await(stack.staffToken());
    // One connection per request, so all of them are really in flight together.
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(stack.port()),
        new PoolOptions().setHttp1MaxSize(REQUESTS));
  }

  @AfterAll
  static void stop() {
    http.close();
    await(stack.stop());
  }

  @Test
  void aHundredConcurrentRequestsAgainstAWalletThatAffordsOneHoldItOnce() {
    UserAccount user = await(f.userWith("30.00"));
    String body = "{\"userId\":" + user.id() + ",\"amount\":\"30.00\",\"method\":\"stripe_bank\"}";
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      calls.add(http.post("/api/payouts").bearerTokenAuthentication(token)
          .putHeader("Content-Type", "application/json").timeout(30_000).sendBuffer(Buffer.buffer(body)));
    }
    await(Future.join(calls).otherwiseEmpty());

    List<String> unexpected = new ArrayList<>();
    int created = 0;
    int refused = 0;
    for (Future<HttpResponse<Buffer>> c : calls) {
      if (c.failed()) {
        unexpected.add("no answer: " + c.cause());
        continue;
      }
      HttpResponse<Buffer> r = c.result();
      if (r.statusCode() == 201) {
        created++;
      } else if (r.statusCode() == 422
          && "insufficient_funds".equals(r.bodyAsJsonObject().getJsonObject("error").getString("code"))) {
        refused++;
      } else {
        unexpected.add(r.statusCode() + " " + r.bodyAsString());
      }
    }
    assertEquals(List.of(), unexpected);
    assertEquals(1, created, "exactly one request is granted");
    assertEquals(REQUESTS - 1, refused, "every other one is refused for insufficient funds");

    UserAccount after = await(f.accounts.find(user.id()));
    assertEquals("0.00", after.available().toPlainString());
    assertEquals("30.00", after.held().toPlainString());
    assertEquals(1L, await(f.count("SELECT count(*) FROM payout_requests WHERE user_id = $1", user.id())));
    assertEquals(1L, await(f.count(
        "SELECT count(*) FROM wallet_transactions WHERE user_id = $1 AND kind = 'hold'", user.id())));
    assertEquals(2L, await(f.count("SELECT count(*) FROM wallet_transactions WHERE user_id = $1", user.id())),
        "the credit and one hold");
    assertEquals(1L, await(f.count("SELECT count(*) FROM payout_events WHERE payout_id IN "
        + "(SELECT id FROM payout_requests WHERE user_id = $1)", user.id())), "one audit row: requested");
    List<LedgerVerifier.Violation> broken = await(new LedgerVerifier(db.pool()).verify());
    assertTrue(broken.isEmpty(), () -> "ledger invariants broken: " + broken.stream()
        .map(v -> v.invariant() + " " + v.sample().stream().map(JsonObject::encode).toList()).toList());
  }
}
