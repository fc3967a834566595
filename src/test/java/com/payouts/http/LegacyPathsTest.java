package com.payouts.http;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.PayoutMethod;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.UserAccount;
import com.payouts.processor.JobRunner;
import com.payouts.processor.ProcessorVerticle;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.ScriptedGateway.Step;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The old system's three paths, each action driven through the old path itself, with the real queue,
 * processor and a scripted gateway behind them: {@code POST /admin/ajax/payout-action/},
 * {@code GET /admin/ajax/task-status/{id}/} and {@code POST /admin/ajax/eligibility-action/}.
 */
@ExtendWith(VertxExtension.class)
class LegacyPathsTest {
  static TestStack stack;
  static final String ACTION = "/admin/ajax/payout-action/";
  static final String ELIGIBILITY = "/admin/ajax/eligibility-action/";
  static TestDatabase db;
  static Fixtures f;
  static ScriptedGateway gateway;
  static ApiClient api;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().poolSize(16).roles(Role.HTTP, Role.PROCESSOR).start(vertx));
    db = stack.db;
    gateway = (ScriptedGateway) stack.gateway;
    f = stack.f;
    api = await(stack.staffClient());
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  static long user(String balance) {
    return await(f.userWith(balance)).id();
  }

  static long payout(long userId, String amount) {
    HttpResponse<Buffer> r = api.post("/api/payouts", new JsonObject().put("userId", userId).put("amount", amount)
        .put("method", PayoutMethod.STRIPE_BANK.wire()).encode());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  static JsonObject act(long payoutId, String action, String reason) {
    JsonObject body = new JsonObject().put("payout_id", payoutId).put("action", action);
    if (reason != null) body.put("reason", reason);
    HttpResponse<Buffer> r = api.post(ACTION, body.encode());
    assertEquals(200, r.statusCode(), action + ": " + r.bodyAsString());
    JsonObject out = r.bodyAsJsonObject();
    assertEquals(Boolean.TRUE, out.getBoolean("success"), out.encode());
    assertEquals(payoutId, out.getLong("payout_id"), out.encode());
    assertEquals(payoutId, out.getJsonObject("payout").getLong("id"), out.encode());
    return out;
  }

  static String status(long payoutId) {
    return api.getJson("/api/payouts/" + payoutId).getString("status");
  }

  static UserAccount account(long userId) {
    return await(f.accounts.find(userId));
  }

  static void assertBalances(long userId, String available, String held) {
    UserAccount u = account(userId);
    assertEquals(available, u.available().toPlainString(), "available");
    assertEquals(held, u.held().toPlainString(), "held");
  }

  /** The old task-status path, answered with the old names beside the new ones. */
  static JsonObject task(String taskId) {
    HttpResponse<Buffer> r = api.get("/admin/ajax/task-status/" + taskId + "/");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject t = r.bodyAsJsonObject();
    assertEquals(taskId, t.getString("task_id"));
    assertEquals(t.getString("state"), t.getString("status"));
    return t;
  }

  static void taskSucceeds(String taskId) {
    eventually(Duration.ofSeconds(10), () -> "succeeded".equals(task(taskId).getString("status")),
        "task " + taskId + " succeeded through the old path");
  }

  static long count(String sql, Object... args) {
    return await(f.count(sql, args));
  }

  @Test
  void approveAnswersTheOldShapeWithATaskThatPaysIt() {
    long u = user("100.00");
    long id = payout(u, "30.00");
    JsonObject r = act(id, "approve", null);
    assertEquals("approved", r.getJsonObject("payout").getString("status"));
    String taskId = r.getString("task_id");
    assertNotNull(taskId, r.encode());
    assertTrue(Set.of("queued", "running", "succeeded").contains(task(taskId).getString("status")));
    taskSucceeds(taskId);
    assertEquals("completed", task(taskId).getJsonObject("result").getString("status"));
    assertEquals("completed", status(id));
    assertBalances(u, "70.00", "0.00");
  }

  @Test
  void rejectWithAReasonReleasesTheHoldAndRecordsTheReason() {
    long u = user("100.00");
    long id = payout(u, "30.00");
    assertBalances(u, "70.00", "30.00");
    JsonObject r = act(id, "reject", "duplicate request");
    JsonObject p = r.getJsonObject("payout");
    assertEquals("rejected", p.getString("status"));
    assertEquals("duplicate request", p.getString("rejectionReason"));
    assertTrue(r.containsKey("task_id") && r.getValue("task_id") == null, "a reject is done at once: " + r.encode());
    assertBalances(u, "100.00", "0.00");
    assertEquals(1, count("SELECT count(*) FROM wallet_transactions WHERE payout_id = $1 AND kind = 'release'", id));
    assertEquals(1, count("SELECT count(*) FROM payout_events WHERE payout_id = $1 AND to_status = 'rejected'"
        + " AND detail = 'duplicate request'", id));
  }

  @Test
  void rejectWithoutAReasonWorksToo() {
    long u = user("100.00");
    long id = payout(u, "40.00");
    JsonObject r = act(id, "REJECT", null);
    assertEquals("rejected", r.getJsonObject("payout").getString("status"));
    assertEquals("rejected", status(id));
    assertBalances(u, "100.00", "0.00");
    // A second reject finds it rejected: a conflict, in the service's error shape.
    HttpResponse<Buffer> again = api.post(ACTION, new JsonObject().put("payout_id", id).put("action", "reject").encode());
    assertEquals(409, again.statusCode(), again.bodyAsString());
    assertEquals("conflict", again.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertBalances(u, "100.00", "0.00");
  }

  @Test
  void processMovesAnApprovedPayoutToTheFrontAndPaysIt() {
    long u = user("100.00");
    long id = payout(u, "25.00");
    // Approved without a job, as the old dashboard left them for a "process now".
    await(f.payouts.approveOne(id, "admin"));
    JsonObject r = act(id, "process", null);
    assertEquals("approved", r.getJsonObject("payout").getString("status"));
    String taskId = r.getString("task_id");
    assertNotNull(taskId, r.encode());
    taskSucceeds(taskId);
    assertEquals("completed", status(id));
    assertBalances(u, "75.00", "0.00");
  }

  @Test
  void retryPaysAPayoutThatFailedRetryably() {
    long u = user("100.00");
    long id = payout(u, "30.00");
    gateway.then(Step.DECLINE_RETRYABLE);
    String first = act(id, "approve", null).getString("task_id");
    taskSucceeds(first); // the job ran; the payment it made was declined
    eventually(Duration.ofSeconds(10), () -> "failed".equals(status(id)), "declined, retryable");
    JsonObject failed = api.getJson("/api/payouts/" + id);
    assertEquals("network_timeout", failed.getString("errorCode"), failed.encode());
    assertBalances(u, "70.00", "30.00"); // a retryable failure keeps the hold

    JsonObject r = act(id, "retry", null);
    assertEquals("failed", r.getJsonObject("payout").getString("status"));
    String taskId = r.getString("task_id");
    assertNotNull(taskId, r.encode());
    assertNotEquals(first, taskId);
    taskSucceeds(taskId);
    assertEquals("completed", status(id));
    assertBalances(u, "70.00", "0.00");
    assertEquals(List.of(f.gatewayKey(id, 0), f.gatewayKey(id, 1)), gateway.payCalls.stream()
        .filter(k -> k.equals(f.gatewayKey(id, 0)) || k.equals(f.gatewayKey(id, 1))).toList(),
        "paid once more, no more: " + gateway.payCalls);
  }

  @Test
  void badRequestsToTheOldActionPathGetTheServicesErrorShape() {
    long u = user("100.00");
    long id = payout(u, "10.00");
    record Bad(String body, int status, String code, String field) {}
    for (Bad b : new Bad[] {
        new Bad("{\"payout_id\":" + id + ",\"action\":\"pay\"}", 400, "invalid_request", "action"),
        new Bad("{\"payout_id\":" + id + ",\"action\":\"reject\",\"note\":\"x\"}", 400, "invalid_request", "note"),
        new Bad("{\"action\":\"approve\"}", 400, "invalid_request", "payout_id"),
        new Bad("{\"payout_id\":\"" + id + "\",\"action\":\"approve\"}", 400, "invalid_request", "payout_id"),
        new Bad("{\"payout_id\":" + id + ",\"action\":\"reject\",\"reason\":5}", 400, "invalid_request", "reason"),
        new Bad("{\"payout_id\":99999999,\"action\":\"approve\"}", 404, "not_found", null),
        new Bad("{\"payout_id\":" + id + ",\"action\":\"retry\"}", 409, "conflict", null),
        new Bad("{\"payout_id\":" + id + ",\"action\":\"process\"}", 409, "conflict", null),
        new Bad("not json", 400, "invalid_request", null)}) {
      HttpResponse<Buffer> r = api.post(ACTION, b.body());
      assertEquals(b.status(), r.statusCode(), b.body() + ": " + r.bodyAsString());
      JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
      assertEquals(b.code(), error.getString("code"), b.body());
      assertEquals(b.field(), error.getString("field"), b.body());
      assertNotNull(error.getString("message"));
    }
    assertEquals("pending", status(id), "nothing moved");
    assertBalances(u, "90.00", "10.00");
    HttpResponse<Buffer> unknown = api.get("/admin/ajax/task-status/no-such-task/");
    assertEquals(404, unknown.statusCode());
    assertEquals("not_found", unknown.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  void eligibilityDisableAndEnableThroughTheOldPathDecideWhetherAUserMayRequest() {
    long u = user("100.00");
    HttpResponse<Buffer> off = api.post(ELIGIBILITY, new JsonObject().put("user_id", u).put("action", "disable")
        .put("reason", "chargeback under review").encode());
    assertEquals(200, off.statusCode(), off.bodyAsString());
    assertTrue(off.bodyAsJsonObject().getBoolean("success"));
    assertFalse(off.bodyAsJsonObject().getJsonObject("user").getBoolean("eligible"));
    assertFalse(account(u).eligible());
    assertEquals("chargeback under review", account(u).eligibilityReason());
    HttpResponse<Buffer> refused = api.post("/api/payouts", new JsonObject().put("userId", u).put("amount", "10.00")
        .put("method", "paypal").encode());
    assertEquals(422, refused.statusCode(), refused.bodyAsString());
    assertEquals("not_eligible", refused.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertBalances(u, "100.00", "0.00");

    HttpResponse<Buffer> on = api.post(ELIGIBILITY, new JsonObject().put("user_id", u).put("action", "enable").encode());
    assertEquals(200, on.statusCode(), on.bodyAsString());
    assertTrue(on.bodyAsJsonObject().getJsonObject("user").getBoolean("eligible"));
    assertTrue(account(u).eligible());
    payout(u, "10.00");
    assertBalances(u, "90.00", "10.00");

    HttpResponse<Buffer> noReason = api.post(ELIGIBILITY, new JsonObject().put("user_id", u).put("action", "disable").encode());
    assertEquals(200, noReason.statusCode(), noReason.bodyAsString());
    assertFalse(account(u).eligible());

    for (String[] bad : new String[][] {{"{\"user_id\":" + u + ",\"action\":\"ban\"}", "400", "action"},
        {"{\"user_id\":" + u + ",\"action\":\"enable\",\"extra\":1}", "400", "extra"},
        {"{\"action\":\"enable\"}", "400", "user_id"}, {"{\"user_id\":99999999,\"action\":\"enable\"}", "404", null}}) {
      HttpResponse<Buffer> r = api.post(ELIGIBILITY, bad[0]);
      assertEquals(Integer.parseInt(bad[1]), r.statusCode(), bad[0] + ": " + r.bodyAsString());
      assertEquals(bad[2], r.bodyAsJsonObject().getJsonObject("error").getString("field"), bad[0]);
    }
    assertFalse(account(u).eligible(), "a refused request changed nothing");
  }
}
