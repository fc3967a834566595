package com.payouts.http;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.RetryPolicy;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The first endpoints: users, credits, payouts, health; JSON conventions and the error shape. */
@ExtendWith(VertxExtension.class)
class CoreApiTest {
  static TestStack stack;
  static TestDatabase db;
  static WebClient http;
  static Fixtures fixtures;
  static String token;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().roles(Role.HTTP).start(vertx));
    db = stack.db;
    fixtures = stack.f;
    token = await(stack.staffToken());
    http = stack.http();
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  static HttpResponse<Buffer> post(String path, String body) {
    return await(http.post(path).putHeader("Content-Type", "application/json").bearerTokenAuthentication(token)
        .sendBuffer(Buffer.buffer(body)));
  }

  static HttpResponse<Buffer> get(String path) {
    return await(http.get(path).bearerTokenAuthentication(token).send());
  }

  static long newUser(String email) {
    HttpResponse<Buffer> r = post("/api/users", "{\"email\":\"" + email + "\",\"name\":\"Pat\",\"preferredMethod\":\"paypal\"}");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  @Test
  void everyApiPathButHealthNeedsCredentials() {
    assertEquals(401, await(http.get("/api/users/1").send()).statusCode());
    assertEquals(401, await(http.post("/api/payouts").sendJsonObject(new JsonObject())).statusCode());
    assertEquals(401, await(http.get("/admin/ajax/task-status/x/").send()).statusCode());
    assertEquals("unauthenticated", await(http.get("/api/payouts/1").send()).bodyAsJsonObject()
        .getJsonObject("error").getString("code"));
    assertEquals(200, await(http.get("/health").send()).statusCode());
  }

  @Test
  void healthReportsEachBackingService() {
    HttpResponse<Buffer> r = get("/health");
    assertEquals(200, r.statusCode());
    assertEquals("up", r.bodyAsJsonObject().getString("postgres"));
    assertEquals("up", r.bodyAsJsonObject().getString("status"));
  }

  @Test
  void aUserIsCreatedCreditedAndReadWithBalancesAtTheTopLevel() {
    long id = newUser("pat-" + System.nanoTime() + "@example.com");
    HttpResponse<Buffer> credited = post("/api/users/" + id + "/credits", "{\"amount\":\"120.50\",\"reason\":\"affiliate earnings\"}");
    assertEquals(201, credited.statusCode(), credited.bodyAsString());
    assertEquals("120.50", credited.bodyAsJsonObject().getString("available"));
    JsonObject user = get("/api/users/" + id).bodyAsJsonObject();
    assertEquals("120.50", user.getString("available"));
    assertEquals("0.00", user.getString("held"));
    assertEquals(true, user.getBoolean("eligible"));
    assertEquals("paypal", user.getString("preferredMethod"));
  }

  @Test
  void aPayoutIsCreatedWith201AndReadWithItsEventsAndLedger() {
    long id = newUser("payee-" + System.nanoTime() + "@example.com");
    post("/api/users/" + id + "/credits", "{\"amount\":\"100.00\",\"reason\":\"earnings\"}");
    HttpResponse<Buffer> created = post("/api/payouts",
        "{\"userId\":" + id + ",\"amount\":\"40.00\",\"method\":\"check\",\"priority\":\"high\",\"notes\":\"<b>hi</b>\"}");
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject p = created.bodyAsJsonObject();
    assertEquals("40.00", p.getString("amount"));
    assertEquals("5.00", p.getString("fee"));
    assertEquals("35.00", p.getString("netAmount"));
    assertEquals("pending", p.getString("status"));
    assertEquals("high", p.getString("priority"));
    assertEquals("check", p.getString("method"));
    assertTrue(p.getString("userEmail").startsWith("payee-"));
    assertEquals("pending", p.getJsonArray("events").getJsonObject(0).getString("to"));
    assertEquals("hold", p.getJsonArray("ledger").getJsonObject(0).getString("kind"));
    JsonObject read = get("/api/payouts/" + p.getLong("id")).bodyAsJsonObject();
    assertEquals(p.getLong("id"), read.getLong("id"));
    assertEquals("60.00", get("/api/users/" + id).bodyAsJsonObject().getString("available"));
  }

  @Test
  void badInputGetsTheErrorShapeAndChangesNothing() {
    long id = newUser("bad-" + System.nanoTime() + "@example.com");
    post("/api/users/" + id + "/credits", "{\"amount\":\"50.00\",\"reason\":\"earnings\"}");
    String[][] cases = {
        {"{\"userId\":" + id + ",\"amount\":\"10.001\",\"method\":\"paypal\"}", "400", "amount"},
        {"{\"userId\":" + id + ",\"amount\":10,\"method\":\"paypal\"}", "400", "amount"},
        {"{\"userId\":" + id + ",\"amount\":\"1e3\",\"method\":\"paypal\"}", "400", "amount"},
        {"{\"userId\":" + id + ",\"amount\":\"-5.00\",\"method\":\"paypal\"}", "400", "amount"},
        {"{\"userId\":" + id + ",\"amount\":\"0.00\",\"method\":\"paypal\"}", "400", "amount"},
        {"{\"userId\":" + id + ",\"amount\":\"5.00\",\"method\":\"check\"}", "400", "amount"},
        {"{\"userId\":" + id + ",\"amount\":\"5.00\",\"method\":\"bitcoin\"}", "400", "method"},
        {"{\"userId\":" + id + ",\"amount\":\"5.00\",\"method\":\"paypal\",\"status\":\"completed\"}", "400", "status"},
        {"{\"userId\":" + id + ",\"amount\":\"5.00\",\"method\":\"paypal\",\"fee\":\"0.00\"}", "400", "fee"},
        {"{\"userId\":\"" + id + "\",\"amount\":\"5.00\",\"method\":\"paypal\"}", "400", "userId"},
        {"{\"userId\":" + id + ",\"amount\":\"50.01\",\"method\":\"paypal\"}", "422", "amount"},
        {"{\"userId\":999999999,\"amount\":\"5.00\",\"method\":\"paypal\"}", "404", null},
        {"[1,2]", "400", null},
        {"not json", "400", null},
    };
    for (String[] c : cases) {
      HttpResponse<Buffer> r = post("/api/payouts", c[0]);
      assertEquals(Integer.parseInt(c[1]), r.statusCode(), c[0] + " -> " + r.bodyAsString());
      JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
      assertNotNull(error.getString("code"), c[0]);
      assertNotNull(error.getString("message"), c[0]);
      if (c[2] != null) assertEquals(c[2], error.getString("field"), c[0]);
    }
    assertEquals(0L, await(fixtures.count("SELECT count(*) FROM payout_requests WHERE user_id = $1", id)));
    assertEquals("50.00", get("/api/users/" + id).bodyAsJsonObject().getString("available"));
  }

  @Test
  void unknownIdsAre404AndBigBodiesAre413() {
    assertEquals(404, get("/api/payouts/424242424").statusCode());
    assertEquals(404, get("/api/payouts/abc").statusCode());
    assertEquals(404, get("/api/users/424242424").statusCode());
    assertEquals("not_found", get("/api/users/424242424").bodyAsJsonObject().getJsonObject("error").getString("code"));
    String big = "{\"email\":\"x@example.com\",\"name\":\"" + "a".repeat(70_000) + "\"}";
    HttpResponse<Buffer> r = post("/api/users", big);
    assertEquals(413, r.statusCode());
  }

  @Test
  void aDuplicateEmailIs409() {
    String email = "dup-" + System.nanoTime() + "@example.com";
    newUser(email);
    HttpResponse<Buffer> r = post("/api/users", "{\"email\":\"" + email.toUpperCase() + "\",\"name\":\"Again\"}");
    assertEquals(409, r.statusCode(), r.bodyAsString());
    assertEquals("email", r.bodyAsJsonObject().getJsonObject("error").getString("field"));
  }
}
