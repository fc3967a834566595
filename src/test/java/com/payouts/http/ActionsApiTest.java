package com.payouts.http;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.eventually;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.RetryPolicy;
import com.payouts.processor.JobRunner;
import com.payouts.processor.ProcessorVerticle;
import com.payouts.queue.JobQueue;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Actions, batches and task status over HTTP, with a real queue and processor behind them. */
@ExtendWith(VertxExtension.class)
class ActionsApiTest {
  static TestStack stack;
  static TestDatabase db;
  static JobQueue queue;
  static WebClient http;
  static Fixtures f;
  static String token;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().poolSize(16).roles(Role.HTTP, Role.PROCESSOR).start(vertx));
    db = stack.db;
    f = stack.f;
    queue = stack.graph.queue;
    token = await(stack.staffToken());
    http = stack.http();
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  static Future<HttpResponse<Buffer>> postAsync(String path, String body) {
    var req = http.post(path).bearerTokenAuthentication(token).putHeader("Content-Type", "application/json");
    return body == null ? req.send() : req.sendBuffer(Buffer.buffer(body));
  }

  static HttpResponse<Buffer> post(String path, String body) {
    return await(postAsync(path, body));
  }

  static JsonObject get(String path) {
    return await(http.get(path).bearerTokenAuthentication(token).send()).bodyAsJsonObject();
  }

  static long user(String balance) {
    return await(f.userWith(balance)).id();
  }

  static long payout(long userId, String amount) {
    HttpResponse<Buffer> r = post("/api/payouts", "{\"userId\":" + userId + ",\"amount\":\"" + amount + "\",\"method\":\"stripe_bank\"}");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  @Test
  void approveAnswers202WithATaskThatEndsWithThePayoutPaid() {
    long id = payout(user("100.00"), "30.00");
    HttpResponse<Buffer> r = post("/api/payouts/" + id + "/approve", null);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    String task = r.bodyAsJsonObject().getString("taskId");
    assertEquals("approved", r.bodyAsJsonObject().getJsonObject("payout").getString("status"));
    eventually(Duration.ofSeconds(10), () -> "succeeded".equals(get("/api/tasks/" + task).getString("state")),
        "task succeeded");
    assertEquals("completed", get("/api/tasks/" + task).getJsonObject("result").getString("status"));
    JsonObject legacy = get("/admin/ajax/task-status/" + task + "/");
    assertEquals(task, legacy.getString("task_id"));
    assertEquals("succeeded", legacy.getString("status"));
    JsonObject p = get("/api/payouts/" + id);
    assertEquals("completed", p.getString("status"));
    assertEquals(2, p.getJsonArray("ledger").size());
    assertEquals(404, await(http.get("/api/tasks/nope").bearerTokenAuthentication(token).send()).statusCode());
  }

  @Test
  void rejectTakesEffectBeforeTheAnswerAndWrongStatesAre409() {
    long u = user("100.00");
    long id = payout(u, "30.00");
    HttpResponse<Buffer> r = post("/api/payouts/" + id + "/reject", "{\"reason\":\"duplicate\"}");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("rejected", r.bodyAsJsonObject().getString("status"));
    assertEquals("100.00", await(f.accounts.find(u)).available().toPlainString(), "hold released before the answer");
    for (String action : List.of("approve", "process", "retry", "reject")) {
      HttpResponse<Buffer> again = post("/api/payouts/" + id + "/" + action, null);
      assertEquals(409, again.statusCode(), action + ": " + again.bodyAsString());
      assertEquals("conflict", again.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
    assertEquals(404, post("/api/payouts/99999999/approve", null).statusCode());
    assertEquals(404, post("/api/payouts/" + id + "/explode", null).statusCode());
  }

  @Test
  void aBatchAnswersPerIdAndAppliesEachWholeOrNotAtAll() {
    long u = user("500.00");
    long a = payout(u, "10.00");
    long b = payout(u, "10.00");
    long c = payout(u, "10.00");
    post("/api/payouts/" + c + "/reject", null);
    HttpResponse<Buffer> r = post("/api/payouts/batch",
        "{\"action\":\"approve\",\"ids\":[" + a + "," + b + "," + c + ",99999999]}");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertNotNull(body.getString("taskId"));
    JsonArray results = body.getJsonArray("results");
    assertEquals(4, results.size());
    assertTrue(results.getJsonObject(0).getBoolean("ok"));
    assertTrue(results.getJsonObject(1).getBoolean("ok"));
    assertFalse(results.getJsonObject(2).getBoolean("ok"));
    assertTrue(results.getJsonObject(2).getString("error").contains("rejected"));
    assertEquals("not found", results.getJsonObject(3).getString("error"));
    eventually(Duration.ofSeconds(10), () -> "completed".equals(get("/api/payouts/" + a).getString("status"))
        && "completed".equals(get("/api/payouts/" + b).getString("status")), "both paid");
    assertEquals("succeeded", get("/api/tasks/" + body.getString("taskId")).getString("state"));
    assertEquals(400, post("/api/payouts/batch", "{\"action\":\"explode\",\"ids\":[1]}").statusCode());
    assertEquals(400, post("/api/payouts/batch", "{\"action\":\"approve\",\"ids\":[]}").statusCode());
    assertEquals(400, post("/api/payouts/batch", "{\"action\":\"approve\",\"ids\":[\"1\"]}").statusCode());
  }

  @Test
  void theOldPayoutActionPathStillWorks() {
    long id = payout(user("100.00"), "30.00");
    HttpResponse<Buffer> r = post("/admin/ajax/payout-action/", "{\"payout_id\":" + id + ",\"action\":\"approve\"}");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getBoolean("success"));
    assertNotNull(r.bodyAsJsonObject().getString("task_id"));
    eventually(Duration.ofSeconds(10), () -> "completed".equals(get("/api/payouts/" + id).getString("status")), "paid");
  }

  @Test
  void fiftyConcurrentActionsOnOnePayoutHaveExactlyOneWinner() {
    long id = payout(user("100.00"), "30.00");
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    String[] actions = {"approve", "reject"};
    for (int i = 0; i < 50; i++) calls.add(postAsync("/api/payouts/" + id + "/" + actions[i % 2], null));
    await(Future.join(calls).otherwiseEmpty());
    long won = calls.stream().filter(c -> c.succeeded() && c.result().statusCode() < 300).count();
    long conflicts = calls.stream().filter(c -> c.succeeded() && c.result().statusCode() == 409).count();
    assertEquals(1, won);
    assertEquals(49, conflicts);
    long moves = await(f.count("SELECT count(*) FROM payout_events WHERE payout_id = $1 AND from_status = 'pending'", id));
    assertEquals(1, moves, "the audit trail shows one transition out of pending");
  }

  @Test
  void twentyConcurrentCreatesWithOneKeyMakeOnePayout() {
    long u = user("1000.00");
    String body = "{\"userId\":" + u + ",\"amount\":\"25.00\",\"method\":\"paypal\"}";
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(http.post("/api/payouts").bearerTokenAuthentication(token).putHeader("Idempotency-Key", "k-" + u)
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
    }
    await(Future.join(calls).otherwiseEmpty());
    List<Long> ids = calls.stream().filter(c -> c.succeeded() && c.result().statusCode() == 201)
        .map(c -> c.result().bodyAsJsonObject().getLong("id")).distinct().toList();
    assertEquals(1, ids.size(), "every answer names the same payout");
    assertEquals(20, calls.stream().filter(c -> c.succeeded() && c.result().statusCode() == 201).count());
    assertEquals(1L, await(f.count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u)));
    assertEquals("975.00", await(f.accounts.find(u)).available().toPlainString());
    HttpResponse<Buffer> other = await(http.post("/api/payouts").bearerTokenAuthentication(token)
        .putHeader("Idempotency-Key", "k-" + u).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body.replace("25.00", "26.00"))));
    assertEquals(409, other.statusCode());
    assertEquals("Idempotency-Key", other.bodyAsJsonObject().getJsonObject("error").getString("field"));
  }
}
