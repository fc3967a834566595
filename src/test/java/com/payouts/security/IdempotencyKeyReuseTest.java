package com.payouts.security;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.RetryPolicy;
import com.payouts.http.ApiVerticle;
import com.payouts.auth.AuthRepository;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A key sent again with something else: another body, another path, another user's payout, a
 * malformed key. Refused without a change. And whose keys they are: another API client's key of
 * the same name is its own.
 */
@ExtendWith(VertxExtension.class)
class IdempotencyKeyReuseTest {
  static TestDatabase db;
  static TestStack stack;
  static Fixtures f;
  static ApiClient api;
  /** Another staff user: another scope of keys. */
  static ApiClient other;
  /** A second token of the first staff user: the same scope. */
  static ApiClient sameUser;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().roles(Role.HTTP).start(vertx));
    db = stack.db;
    f = stack.f;
    String email = await(stack.staffUser());
    api = new ApiClient(vertx, stack.port(), await(stack.graph.auth.createTokenFor(email, "test", null)).token());
    other = await(stack.staffClient());
    sameUser = new ApiClient(vertx, stack.port(), await(stack.graph.auth.createTokenFor(email, "second", null)).token());
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  static long count(String sql, Object... args) {
    return await(f.count(sql, args));
  }

  static long user(String balance) {
    return await(f.userWith(balance)).id();
  }

  static String payoutBody(long userId, String amount) {
    return "{\"userId\":" + userId + ",\"amount\":\"" + amount + "\",\"method\":\"paypal\"}";
  }

  static HttpResponse<Buffer> post(ApiClient client, String path, String body, String key) {
    return client.post(path, body, Map.of("Idempotency-Key", key));
  }

  static void assertKeyRefused(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals(code, error.getString("code"), r.bodyAsString());
    assertEquals("Idempotency-Key", error.getString("field"), r.bodyAsString());
    assertNull(r.getHeader("Idempotent-Replayed"));
  }

  @Test
  void theSameKeyWithAnotherBodyIs409AndChangesNothing() {
    long u = user("100.00");
    assertEquals(201, post(api, "/api/payouts", payoutBody(u, "20.00"), "reuse-body-" + u).statusCode());
    HttpResponse<Buffer> r = post(api, "/api/payouts", payoutBody(u, "21.00"), "reuse-body-" + u);
    assertKeyRefused(r, 409, "idempotency_key_reused");
    assertTrue(r.bodyAsJsonObject().getJsonObject("error").getString("message").contains("POST /api/payouts"),
        "names where the key was first used: " + r.bodyAsString());
    assertEquals(1L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u));
    assertEquals("80.00", await(f.accounts.find(u)).available().toPlainString());
  }

  @Test
  void theSameKeyOnAnotherPathIs409AndChangesNothing() {
    long u = user("100.00");
    long v = user("100.00");
    String key = "reuse-path-" + u;
    String credit = "{\"amount\":\"5.00\",\"reason\":\"earnings\"}";
    assertEquals(201, post(api, "/api/users/" + u + "/credits", credit, key).statusCode());
    // The same body to another user's credits, and the key on another endpoint altogether.
    assertKeyRefused(post(api, "/api/users/" + v + "/credits", credit, key), 409, "idempotency_key_reused");
    assertKeyRefused(post(api, "/api/payouts", payoutBody(u, "20.00"), key), 409, "idempotency_key_reused");
    assertKeyRefused(post(api, "/api/payouts/batch", "{\"action\":\"approve\",\"ids\":[999999]}", key), 409,
        "idempotency_key_reused");
    assertEquals("105.00", await(f.accounts.find(u)).available().toPlainString());
    assertEquals("100.00", await(f.accounts.find(v)).available().toPlainString());
    assertEquals(0L, count("SELECT count(*) FROM payout_requests WHERE user_id IN ($1, $2)", u, v));
  }

  @Test
  void oneClientCannotUseAKeyAgainForAnotherUsersPayout() {
    long u = user("100.00");
    long v = user("100.00");
    String key = "reuse-user-" + u;
    assertEquals(201, post(api, "/api/payouts", payoutBody(u, "20.00"), key).statusCode());
    assertKeyRefused(post(api, "/api/payouts", payoutBody(v, "20.00"), key), 409, "idempotency_key_reused");
    assertEquals(0L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", v));
    assertEquals("100.00", await(f.accounts.find(v)).available().toPlainString());
  }

  @Test
  void theSameRequestWithItsFieldsInAnotherOrderIsTheSameRequest() {
    long u = user("100.00");
    String key = "reorder-" + u;
    HttpResponse<Buffer> first = post(api, "/api/payouts", payoutBody(u, "20.00"), key);
    HttpResponse<Buffer> again = post(api, "/api/payouts",
        "{ \"method\" : \"paypal\", \"amount\" : \"20.00\", \"userId\" : " + u + " }", key);
    assertEquals(201, again.statusCode(), again.bodyAsString());
    assertEquals("true", again.getHeader("Idempotent-Replayed"));
    assertEquals(first.bodyAsString(), again.bodyAsString());
    assertEquals(1L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u));
  }

  @Test
  void anotherClientsKeyOfTheSameNameIsItsOwn() {
    long u = user("100.00");
    String key = "shared-name-" + u;
    HttpResponse<Buffer> mine = post(api, "/api/payouts", payoutBody(u, "20.00"), key);
    HttpResponse<Buffer> theirs = post(other, "/api/payouts", payoutBody(u, "20.00"), key);
    assertEquals(201, theirs.statusCode(), theirs.bodyAsString());
    assertNull(theirs.getHeader("Idempotent-Replayed"), "executed for the other client");
    assertNotEquals(mine.bodyAsJsonObject().getLong("id"), theirs.bodyAsJsonObject().getLong("id"));
    // The other client's different request under that name is not refused because of mine either.
    HttpResponse<Buffer> theirCredit = post(other, "/api/users/" + u + "/credits",
        "{\"amount\":\"1.00\",\"reason\":\"earnings\"}", key + "-credit");
    assertEquals(201, theirCredit.statusCode());
    assertEquals(2L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u));
    assertEquals("61.00", await(f.accounts.find(u)).available().toPlainString());
  }

  @Test
  void keysBelongToTheStaffUserWhicheverTokenTheyUse() {
    long u = user("100.00");
    String key = "same-user-" + u;
    HttpResponse<Buffer> first = post(api, "/api/payouts", payoutBody(u, "20.00"), key);
    HttpResponse<Buffer> again = post(sameUser, "/api/payouts", payoutBody(u, "20.00"), key);
    assertEquals("true", again.getHeader("Idempotent-Replayed"));
    assertEquals(first.bodyAsString(), again.bodyAsString());
    assertEquals(1L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u));
  }

  @Test
  void aMalformedKeyIs400NamingTheHeaderAndChangesNothing() {
    long u = user("100.00");
    String[] bad = {"", " ", "x".repeat(256), "caf\u00e9", "tab\there"};
    for (String key : bad) {
      assertKeyRefused(post(api, "/api/payouts", payoutBody(u, "20.00"), key), 400, "invalid_request");
      assertKeyRefused(post(api, "/api/users/" + u + "/credits", "{\"amount\":\"1.00\",\"reason\":\"r\"}", key), 400,
          "invalid_request");
    }
    MultiMap twice = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "one").add("Idempotency-Key", "two");
    HttpResponse<Buffer> r = await(api.raw().post("/api/payouts").bearerTokenAuthentication(api.token())
        .putHeaders(twice).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(payoutBody(u, "20.00"))));
    assertKeyRefused(r, 400, "invalid_request");
    assertEquals(0L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u));
    assertEquals("100.00", await(f.accounts.find(u)).available().toPlainString());
    // The longest key there may be, of every printable character, works.
    String printable = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ .";
    String longest = printable + "k".repeat(255 - printable.length());
    assertEquals(201, post(api, "/api/payouts", payoutBody(u, "20.00"), longest).statusCode());
    assertEquals(1L, count("SELECT count(*) FROM idempotency_keys WHERE key = $1 AND length(key) = 255", longest));
  }

  @Test
  void aFailedRequestLeavesNoKeySoItsRetryExecutes() {
    long u = user("10.00");
    String key = "after-422-" + u;
    HttpResponse<Buffer> refused = post(api, "/api/payouts", payoutBody(u, "50.00"), key);
    assertEquals(422, refused.statusCode(), refused.bodyAsString());
    HttpResponse<Buffer> invalid = post(api, "/api/payouts", payoutBody(u, "50.001"), key);
    assertEquals(400, invalid.statusCode(), invalid.bodyAsString());
    assertEquals(0L, count("SELECT count(*) FROM idempotency_keys WHERE key = $1", key));
    await(f.accounts.credit(u, new java.math.BigDecimal("40.00"), "earnings"));
    HttpResponse<Buffer> retried = post(api, "/api/payouts", payoutBody(u, "50.00"), key);
    assertEquals(201, retried.statusCode(), retried.bodyAsString());
    assertNull(retried.getHeader("Idempotent-Replayed"));
    assertEquals("0.00", await(f.accounts.find(u)).available().toPlainString());
  }
}
