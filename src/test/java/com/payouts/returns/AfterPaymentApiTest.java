package com.payouts.returns;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.app.Role;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.Priority;
import com.payouts.domain.UserAccount;
import com.payouts.queue.Job;
import com.payouts.queue.JobQueue;
import com.payouts.support.ApiClient;
import com.payouts.support.TestStack;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Dead letters you can act on, and the CSV export, through the API. */
@ExtendWith(VertxExtension.class)
class AfterPaymentApiTest {
  static TestStack stack;
  static ApiClient api;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().roles(Role.HTTP).start(vertx));
    api = await(stack.staffClient());
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  /** A job that died after its one attempt, with this error. */
  static Job dead(long payoutId, String error) {
    JobQueue q = stack.graph.queue;
    Job j = Job.of("process_payout", new JsonObject().put("payoutId", payoutId), Priority.NORMAL, 1);
    await(q.enqueue(j));
    List<Job> claimed = await(q.claim("test", 100, Duration.ofSeconds(30)));
    for (Job c : claimed) assertEquals(JobQueue.FailOutcome.DEAD, await(q.fail("test", c.id(), error, Duration.ZERO)));
    return j;
  }

  static void pauseAMillisecondOrTwo() {
    try {
      Thread.sleep(3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void deadLettersAreListedRequeuedAndDeleted() {
    Job a = dead(41, "gateway timeout");
    // Dead letters are ordered by the millisecond they died: two in one millisecond have no "newest".
    pauseAMillisecondOrTwo();
    Job b = dead(42, "connection reset");
    JsonObject list = api.getJson("/api/jobs/dead");
    JsonArray items = list.getJsonArray("items");
    assertEquals(2, items.size(), list.encode());
    JsonObject newest = items.getJsonObject(0);
    assertEquals(b.id(), newest.getString("id"));
    assertEquals(42L, newest.getLong("payoutId"));
    assertEquals("connection reset", newest.getString("error"));
    assertEquals(1, newest.getInteger("attempts"));
    assertTrue(Instant.parse(newest.getString("diedAt")).isBefore(Instant.now().plusSeconds(1)));

    HttpResponse<Buffer> requeued = api.post("/api/jobs/dead/" + a.id() + "/requeue", null);
    assertEquals(200, requeued.statusCode(), requeued.bodyAsString());
    assertEquals(1, api.getJson("/api/jobs/dead").getJsonArray("items").size());
    assertEquals("queued", await(stack.graph.queue.taskStatus(a.id())).orElseThrow().getString("state"));
    assertEquals(404, api.post("/api/jobs/dead/" + a.id() + "/requeue", null).statusCode(), "no longer dead");

    HttpResponse<Buffer> deleted = await(api.raw().delete("/api/jobs/dead/" + b.id())
        .bearerTokenAuthentication(api.token()).send());
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertEquals(0, api.getJson("/api/jobs/dead").getJsonArray("items").size());
    assertEquals(404, await(api.raw().delete("/api/jobs/dead/" + b.id()).bearerTokenAuthentication(api.token()).send())
        .statusCode());
    assertEquals(401, await(stack.http().get("/api/jobs/dead").send()).statusCode(), "staff only");
  }

  @Test
  void theExportHasExactlyTheFilteredRowsWithMoneyAsStringsAndIsoTimes() {
    UserAccount a = await(stack.f.userWith("1000.00"));
    UserAccount b = await(stack.f.userWith("1000.00"));
    for (int i = 0; i < 5; i++) await(stack.f.request(a.id(), "10.5" + i, PayoutMethod.PAYPAL));
    for (int i = 0; i < 3; i++) await(stack.f.request(b.id(), "20.00", PayoutMethod.CHECK));
    await(stack.f.approved(b.id(), "30.00", PayoutMethod.CHECK));

    String csv = export("/api/payouts/export.csv?user=" + a.id() + "&sort=amount&order=asc");
    String[] lines = csv.split("\r\n");
    assertTrue(lines[0].startsWith("id,user_id,user_email,amount,fee,net_amount,method,status"), lines[0]);
    assertEquals(6, lines.length, csv);
    String[] first = lines[1].split(",", -1);
    assertEquals(String.valueOf(a.id()), first[1]);
    assertEquals("10.50", first[3]);
    assertEquals("0.21", first[4], "paypal's 2 %");
    assertEquals("pending", first[7]);
    Instant.parse(first[13]);
    assertEquals("10.54", lines[5].split(",", -1)[3]);

    String pendingOfB = export("/api/payouts/export.csv?status=pending&user=" + b.id());
    assertEquals(4, pendingOfB.split("\r\n").length, "header and the three pending ones");
    JsonArray listed = api.getJson("/api/payouts?status=approved&user=" + b.id()).getJsonArray("items");
    String approvedOfB = export("/api/payouts/export.csv?status=approved&user=" + b.id());
    assertEquals(listed.size() + 1, approvedOfB.split("\r\n").length, "exactly the rows the list shows");
    assertEquals(400, api.get("/api/payouts/export.csv?limit=5").statusCode(), "an export has no page");
  }

  private static String export(String path) {
    HttpResponse<Buffer> r = api.get(path);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("text/csv"));
    return r.bodyAsString();
  }
}
