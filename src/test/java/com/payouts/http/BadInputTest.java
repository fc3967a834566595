package com.payouts.http;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.PayoutMethod;
import com.payouts.domain.RetryPolicy;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input gets a clear 4xx in the one error shape, and changes nothing. */
@ExtendWith(VertxExtension.class)
class BadInputTest {
  static TestStack stack;
  static TestDatabase db;
  static Fixtures f;
  static ApiClient api;
  static long user;
  static long pending;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().roles(Role.HTTP).start(vertx));
    db = stack.db;
    f = stack.f;
    api = await(stack.staffClient());
    user = await(f.userWith("100.00")).id();
    pending = await(f.request(user, "10.00", PayoutMethod.PAYPAL)).id();
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  record Case(String path, String body, int status, String field) {}

  static String payout(String fields) {
    return "{\"userId\":" + user + ",\"method\":\"paypal\"," + fields + "}";
  }

  static List<Case> cases() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    String big = "{\"userId\":1,\"amount\":\"1.00\",\"method\":\"paypal\",\"notes\":\"" + "x".repeat(70_000) + "\"}";
    List<Case> c = new ArrayList<>();
    String P = "/api/payouts";
    // amounts
    c.add(new Case(P, payout("\"amount\":\"10.001\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"0\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"0.00\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"-5.00\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"1e3\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"1E+2\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"99999999999999999999\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"ten\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"NaN\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"Infinity\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\" 5.00\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"5,00\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"0x10\""), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":5"), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":5.5"), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":null"), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":[\"5.00\"]"), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":{\"value\":\"5.00\"}"), 400, "amount"));
    c.add(new Case(P, payout("\"amount\":\"100.01\""), 422, "amount"));
    // fields that try to set what only the system sets
    c.add(new Case(P, payout("\"amount\":\"5.00\",\"status\":\"completed\""), 400, "status"));
    c.add(new Case(P, payout("\"amount\":\"5.00\",\"fee\":\"0.00\""), 400, "fee"));
    c.add(new Case(P, payout("\"amount\":\"5.00\",\"netAmount\":\"5.00\""), 400, "netAmount"));
    c.add(new Case(P, payout("\"amount\":\"5.00\",\"available\":\"1000000.00\""), 400, "available"));
    c.add(new Case(P, payout("\"amount\":\"5.00\",\"transactionId\":\"po_x\""), 400, "transactionId"));
    c.add(new Case(P, payout("\"amount\":\"5.00\",\"id\":1"), 400, "id"));
    // other fields
    c.add(new Case(P, "{\"userId\":" + user + ",\"amount\":\"5.00\",\"method\":\"bitcoin\"}", 400, "method"));
    c.add(new Case(P, "{\"userId\":" + user + ",\"amount\":\"5.00\",\"method\":\"PAYPAL\"}", 400, "method"));
    c.add(new Case(P, "{\"userId\":" + user + ",\"amount\":\"5.00\"}", 400, "method"));
    c.add(new Case(P, payout("\"amount\":\"5.00\",\"priority\":\"asap\""), 400, "priority"));
    c.add(new Case(P, payout("\"amount\":\"5.00\",\"notes\":7"), 400, "notes"));
    c.add(new Case(P, payout("\"amount\":\"5.00\",\"notes\":\"a\\u0000b\""), 400, "notes"));
    c.add(new Case(P, "{\"userId\":\"" + user + "\",\"amount\":\"5.00\",\"method\":\"paypal\"}", 400, "userId"));
    c.add(new Case(P, "{\"userId\":-1,\"amount\":\"5.00\",\"method\":\"paypal\"}", 400, "userId"));
    c.add(new Case(P, "{\"userId\":1.5,\"amount\":\"5.00\",\"method\":\"paypal\"}", 400, "userId"));
    c.add(new Case(P, "{\"userId\":99999999,\"amount\":\"5.00\",\"method\":\"paypal\"}", 404, null));
    c.add(new Case(P, "{\"amount\":\"5.00\",\"method\":\"paypal\"}", 400, "userId"));
    // shapes
    c.add(new Case(P, "", 400, null));
    c.add(new Case(P, "null", 400, null));
    c.add(new Case(P, "[]", 400, null));
    c.add(new Case(P, "\"a string\"", 400, null));
    c.add(new Case(P, "{\"userId\":", 400, null));
    c.add(new Case(P, deep, 400, null));
    c.add(new Case(P, big, 413, null));
    // users and credits
    c.add(new Case("/api/users", "{\"email\":\"not-an-email\",\"name\":\"X\"}", 400, "email"));
    c.add(new Case("/api/users", "{\"email\":\"a@example.com\"}", 400, "name"));
    c.add(new Case("/api/users", "{\"email\":\"a@example.com\",\"name\":\"X\",\"staff\":true}", 400, "staff"));
    c.add(new Case("/api/users/" + user + "/credits", "{\"amount\":\"-10.00\",\"reason\":\"x\"}", 400, "amount"));
    c.add(new Case("/api/users/" + user + "/credits", "{\"amount\":\"10.00\"}", 400, "reason"));
    c.add(new Case("/api/users/" + user + "/credits", "{\"amount\":\"999999999999.99\",\"reason\":\"overflow\"}", 422, null));
    c.add(new Case("/api/users/99999999/credits", "{\"amount\":\"10.00\",\"reason\":\"x\"}", 404, null));
    // actions and batches
    c.add(new Case("/api/payouts/99999999/approve", null, 404, null));
    c.add(new Case("/api/payouts/abc/approve", null, 404, "id"));
    c.add(new Case("/api/payouts/" + pending + "/retry", null, 409, null));
    c.add(new Case("/api/payouts/" + pending + "/process", null, 409, null));
    c.add(new Case("/api/payouts/" + pending + "/reject", "{\"reason\":5}", 400, "reason"));
    c.add(new Case("/api/payouts/batch", "{\"action\":\"approve\"}", 400, "ids"));
    c.add(new Case("/api/payouts/batch", "{\"action\":\"pay\",\"ids\":[1]}", 400, "action"));
    c.add(new Case("/api/payouts/batch", "{\"action\":\"retry\",\"ids\":[1]}", 400, "action"));
    c.add(new Case("/api/payouts/batch", "{\"action\":\"approve\",\"ids\":[0]}", 400, "ids"));
    c.add(new Case("/api/payouts/batch", "{\"action\":\"approve\",\"ids\":\"1,2\"}", 400, "ids"));
    c.add(new Case("/api/payouts/batch", "{\"action\":\"approve\",\"ids\":[" + "1,".repeat(1000) + "1]}", 413, "ids"));
    c.add(new Case("/admin/ajax/payout-action/", "{\"payout_id\":" + pending + ",\"action\":\"pay\"}", 400, "action"));
    return c;
  }

  @Test
  void everyBadInputGetsAClear4xxAndChangesNothing() {
    String before = snapshot();
    List<Case> cases = cases();
    assertTrue(cases.size() >= 40, "at least 40 bodies, got " + cases.size());
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      HttpResponse<Buffer> r = api.post(c.path(), c.body());
      JsonObject error;
      try {
        error = r.bodyAsJsonObject().getJsonObject("error");
      } catch (RuntimeException e) {
        failures.add(c.path() + " " + abbreviate(c.body()) + ": body is not the error shape: " + abbreviate(r.bodyAsString()));
        continue;
      }
      if (r.statusCode() != c.status()) failures.add(c.path() + " " + abbreviate(c.body()) + ": " + r.statusCode() + " " + error);
      else if (error == null || error.getString("code") == null || error.getString("message") == null) failures.add("shape: " + error);
      else if (c.field() != null && !c.field().equals(error.getString("field"))) {
        failures.add(c.path() + " " + abbreviate(c.body()) + ": field " + error.getString("field") + " not " + c.field());
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertEquals(before, snapshot(), "no row changed");
  }

  static String abbreviate(String s) {
    return s == null ? "(no body)" : s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  /** Row counts and balances that bad input must leave alone. */
  static String snapshot() {
    return await(db.pool().query("""
        SELECT (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM payout_requests) || '/'
          || (SELECT count(*) FROM wallet_transactions) || '/' || (SELECT count(*) FROM payout_events) || '/'
          || (SELECT string_agg(available || ':' || held, ',' ORDER BY user_id) FROM wallets)
          || '/' || (SELECT string_agg(status, ',' ORDER BY id) FROM payout_requests)""").execute())
        .iterator().next().getString(0);
  }
}
