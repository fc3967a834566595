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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /api/payouts, /api/stats, user ledger and eligibility over one seeded data set. */
@ExtendWith(VertxExtension.class)
class ListApiTest {
  static TestStack stack;
  static TestDatabase db;
  static Fixtures f;
  static ApiClient api;
  static long alice;
  static long bob;
  static String aliceEmail;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().roles(Role.HTTP).start(vertx));
    db = stack.db;
    f = stack.f;
    api = await(stack.staffClient());
    var a = await(f.userWith("10000.00"));
    alice = a.id();
    aliceEmail = a.email();
    bob = await(f.userWith("10000.00")).id();
    // 25 payouts: alice's 15 (paypal), bob's 10 (check); 5 approved and paid, 3 rejected.
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 15; i++) ids.add(await(f.request(alice, (10 + i) + ".00", PayoutMethod.PAYPAL)).id());
    for (int i = 0; i < 10; i++) ids.add(await(f.request(bob, (100 + i) + ".50", PayoutMethod.CHECK)).id());
    await(f.payouts.approve(ids.subList(0, 5), "admin"));
    await(f.payouts.process(ids.subList(0, 5), "processor"));
    await(f.payouts.reject(ids.subList(20, 23), "admin", "test"));
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  static List<JsonObject> all(String query) {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 100; page++) {
      JsonObject body = api.getJson("/api/payouts?" + query + (cursor == null ? "" : "&cursor=" + cursor));
      body.getJsonArray("items").forEach(o -> out.add((JsonObject) o));
      cursor = body.getString("nextCursor");
      if (cursor == null) return out;
    }
    throw new AssertionError("too many pages");
  }

  @Test
  void everySortPagesThroughEveryRowOnceInOrder() {
    for (String sort : List.of("created", "amount", "priority", "status", "days_pending")) {
      for (String order : List.of("asc", "desc")) {
        List<JsonObject> rows = all("sort=" + sort + "&order=" + order + "&limit=4");
        assertEquals(25, rows.size(), sort + " " + order);
        Set<Long> ids = new HashSet<>();
        rows.forEach(r -> ids.add(r.getLong("id")));
        assertEquals(25, ids.size(), "no row twice: " + sort + " " + order);
        if (sort.equals("amount")) {
          for (int i = 1; i < rows.size(); i++) {
            int cmp = new java.math.BigDecimal(rows.get(i - 1).getString("amount"))
                .compareTo(new java.math.BigDecimal(rows.get(i).getString("amount")));
            assertTrue(order.equals("asc") ? cmp <= 0 : cmp >= 0, "amount order");
          }
        }
      }
    }
  }

  @Test
  void filtersNarrowTheList() {
    assertEquals(15, all("method=paypal").size());
    assertEquals(3, all("status=rejected").size());
    assertEquals(17, all("status=pending").size());
    List<JsonObject> completed = all("status=completed");
    assertEquals(5, completed.size());
    assertTrue(completed.stream().allMatch(r -> r.getString("transactionId") != null));
    assertEquals(15, all("q=" + aliceEmail.substring(0, 12)).size());
    long someId = all("method=check").get(0).getLong("id");
    List<JsonObject> byId = all("q=" + someId);
    assertEquals(1, byId.size());
    assertEquals(someId, byId.get(0).getLong("id"));
    assertEquals(25, all("since=24h").size());
    JsonObject item = all("status=pending&method=check").get(0);
    for (String field : List.of("id", "userEmail", "amount", "fee", "netAmount", "method", "status", "priority",
        "daysPending", "retryCount", "nextRetryAt", "transactionId", "errorCode")) {
      assertTrue(item.containsKey(field), field);
    }
  }

  @Test
  void badListParametersAre400() {
    for (String q : List.of("status=paid", "sort=random", "order=up", "limit=0", "limit=201", "limit=x", "since=forever",
        "method=cash", "cursor=%%%", "cursor=eyJ2Ijoibm90LWEtZGF0ZSIsImkiOjF9", "colour=red")) {
      var r = api.get("/api/payouts?" + q);
      assertEquals(400, r.statusCode(), q + " -> " + r.bodyAsString());
      assertNotNull(r.bodyAsJsonObject().getJsonObject("error").getString("message"));
    }
  }

  @Test
  void statsCountAndSumPerStatus() {
    JsonObject s = api.getJson("/api/stats");
    JsonObject byStatus = s.getJsonObject("byStatus");
    assertEquals(17, byStatus.getJsonObject("pending").getLong("count"));
    assertEquals(3, byStatus.getJsonObject("rejected").getLong("count"));
    assertEquals(5, byStatus.getJsonObject("completed").getLong("count"));
    assertEquals("60.00", byStatus.getJsonObject("completed").getString("sum"), "10+11+12+13+14");
    assertEquals(5, s.getJsonObject("completedToday").getLong("count"));
    assertEquals(1.0, s.getJsonObject("successRateByMethod").getDouble("paypal"));
    assertNull(s.getJsonObject("successRateByMethod").getValue("check"));
  }

  @Test
  void aUsersLedgerAndEligibility() {
    JsonArray ledger = api.getJson("/api/users/" + bob + "/ledger").getJsonArray("items");
    assertEquals(14, ledger.size(), "credit, 10 holds, 3 releases");
    assertEquals("release", ledger.getJsonObject(0).getString("kind"), "newest first");
    assertEquals(400, api.post("/api/users/" + bob + "/eligibility", "{\"eligible\":false}").statusCode());
    var off = api.post("/api/users/" + bob + "/eligibility", "{\"eligible\":false,\"reason\":\"fraud review\"}");
    assertEquals(200, off.statusCode(), off.bodyAsString());
    assertFalse(off.bodyAsJsonObject().getBoolean("eligible"));
    var refused = api.post("/api/payouts", "{\"userId\":" + bob + ",\"amount\":\"20.00\",\"method\":\"check\"}");
    assertEquals(422, refused.statusCode());
    assertEquals("not_eligible", refused.bodyAsJsonObject().getJsonObject("error").getString("code"));
    var on = api.post("/admin/ajax/eligibility-action/", "{\"user_id\":" + bob + ",\"action\":\"enable\"}");
    assertEquals(200, on.statusCode(), on.bodyAsString());
    assertTrue(on.bodyAsJsonObject().getJsonObject("user").getBoolean("eligible"));
    assertEquals(404, api.post("/api/users/99999999/eligibility", "{\"eligible\":true}").statusCode());
  }
}
