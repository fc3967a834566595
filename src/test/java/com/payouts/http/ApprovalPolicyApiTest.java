package com.payouts.http;

import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.app.ConfigKeys;
import com.payouts.app.Role;
import com.payouts.auth.StaffRole;
import com.payouts.db.LedgerVerifier;
import com.payouts.domain.ApprovalPolicy;
import com.payouts.domain.PayoutStatus;
import com.payouts.service.ProcessResult;
import com.payouts.support.ApiClient;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestStack;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The approval policy through the API, with roles: auto-approval below 50.00, two approvals by
 * distinct staff users (neither the requester) from 1,000.00, velocity and first-payout flags, the
 * viewer's 403s, single and batch approvals in both orders, and the rule again when processing
 * starts. Every test ends with the ledger's invariants holding.
 */
@ExtendWith(VertxExtension.class)
class ApprovalPolicyApiTest {
  static TestStack stack;
  static ApiClient admin;
  static ApiClient op1;
  static ApiClient op2;
  static ApiClient viewer;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder()
        .set(ConfigKeys.APPROVAL_POLICY, "auto-below=50.00,two-approvers-from=1000.00")
        .set(ConfigKeys.VELOCITY_LIMITS, "count=5/24h")
        .roles(Role.HTTP, Role.PROCESSOR).start(vertx));
    admin = await(stack.staffClient(StaffRole.ADMIN));
    op1 = await(stack.staffClient(StaffRole.OPERATOR));
    op2 = await(stack.staffClient(StaffRole.OPERATOR));
    viewer = await(stack.staffClient(StaffRole.VIEWER));
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  @AfterEach
  void ledgerHolds() {
    List<LedgerVerifier.Violation> broken = await(new LedgerVerifier(stack.db.pool()).verify());
    assertTrue(broken.isEmpty(), () -> "invariants broken: " + broken);
  }

  /** A user with this balance, created and credited through the API by an operator. */
  static long user(String balance) {
    HttpResponse<Buffer> u = op1.post("/api/users", "{\"email\": \"u-" + java.util.UUID.randomUUID()
        + "@example.com\", \"name\": \"U\", \"preferredMethod\": \"stripe_bank\"}");
    assertEquals(201, u.statusCode(), u.bodyAsString());
    long id = u.bodyAsJsonObject().getLong("id");
    HttpResponse<Buffer> c = op1.post("/api/users/" + id + "/credits", "{\"amount\": \"" + balance + "\", \"reason\": \"earnings\"}");
    assertEquals(201, c.statusCode(), c.bodyAsString());
    return id;
  }

  static JsonObject request(ApiClient as, long userId, String amount) {
    HttpResponse<Buffer> r = as.post("/api/payouts",
        "{\"userId\": " + userId + ", \"amount\": \"" + amount + "\", \"method\": \"stripe_bank\"}");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> approve(ApiClient as, long id) {
    return as.post("/api/payouts/" + id + "/approve", null);
  }

  static JsonObject payout(long id) {
    return admin.getJson("/api/payouts/" + id);
  }

  static List<String> reasons(JsonObject p) {
    List<String> out = new ArrayList<>();
    for (Object o : p.getJsonArray("reviewReasons")) out.add((String) o);
    return out;
  }

  static List<String> approvers(JsonObject p) {
    List<String> out = new ArrayList<>();
    for (Object o : p.getJsonArray("approvals")) out.add(((JsonObject) o).getString("actor"));
    return out;
  }

  /** Each audit row as "from>to by actor: detail". */
  static List<String> trail(long id) {
    List<String> out = new ArrayList<>();
    for (Object o : payout(id).getJsonArray("events")) {
      JsonObject e = (JsonObject) o;
      out.add(e.getString("from") + ">" + e.getString("to") + " by " + e.getString("actor") + ": " + e.getString("detail"));
    }
    return out;
  }

  static long count(String sql, Object... args) {
    Row r = await(stack.db.pool().preparedQuery(sql).execute(Tuple.from(args))).iterator().next();
    return r.getLong(0);
  }

  static String status(long id) {
    return payout(id).getString("status");
  }

  @Test
  void theIssuesDoneWhenScenario() {
    // A user's sixth request in 24 h is flagged velocity and left pending.
    long busy = user("500.00");
    List<JsonObject> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) requests.add(request(op1, busy, "20.00"));
    assertEquals(List.of("first_payout"), reasons(requests.get(0)));
    assertEquals("pending", requests.get(0).getString("status"));
    for (int i = 1; i < 5; i++) {
      assertEquals("approved", requests.get(i).getString("status"), "request " + (i + 1));
      assertEquals(List.of(ApprovalPolicy.AUTO_APPROVER), approvers(requests.get(i)));
    }
    JsonObject sixth = requests.get(5);
    assertEquals("pending", sixth.getString("status"));
    assertEquals(List.of("velocity"), reasons(sixth));
    assertEquals(0, sixth.getJsonArray("approvals").size());
    assertEquals(1, sixth.getInteger("approvalsRequired"));

    // Another user's second request of 20.00 is approved by system:auto-approval at creation.
    long other = user("100.00");
    JsonObject first = request(op1, other, "20.00");
    assertEquals("pending", first.getString("status"));
    assertEquals(List.of("first_payout"), reasons(first));
    JsonObject second = request(op1, other, "20.00");
    assertEquals("approved", second.getString("status"));
    assertEquals(List.of(), reasons(second));
    assertEquals(List.of(ApprovalPolicy.AUTO_APPROVER), approvers(second));
    assertEquals(List.of("null>pending by " + op1.actor() + ": requested",
        "pending>approved by system:auto-approval: below the auto-approval amount 50.00"), trail(second.getLong("id")).subList(0, 2));

    // 1,500.00: pending after one operator's approval, 409 for their second try, 403 for a viewer, approved after another's.
    long rich = user("2000.00");
    long large = request(admin, rich, "1500.00").getLong("id");
    assertEquals(2, payout(large).getInteger("approvalsRequired"));
    HttpResponse<Buffer> once = approve(op1, large);
    assertEquals(202, once.statusCode(), once.bodyAsString());
    assertEquals("pending", once.bodyAsJsonObject().getJsonObject("payout").getString("status"));
    assertNull(once.bodyAsJsonObject().getString("taskId"), "no job before the second approval");
    assertEquals(List.of(op1.actor()), approvers(payout(large)));
    HttpResponse<Buffer> twice = approve(op1, large);
    assertEquals(409, twice.statusCode(), twice.bodyAsString());
    assertEquals("conflict", twice.bodyAsJsonObject().getJsonObject("error").getString("code"));
    HttpResponse<Buffer> byViewer = approve(viewer, large);
    assertEquals(403, byViewer.statusCode(), byViewer.bodyAsString());
    assertEquals("forbidden", byViewer.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(1, payout(large).getJsonArray("approvals").size(), "the refused tries recorded nothing");
    HttpResponse<Buffer> again = approve(op2, large);
    assertEquals(202, again.statusCode(), again.bodyAsString());
    assertEquals("approved", again.bodyAsJsonObject().getJsonObject("payout").getString("status"));
    assertNotNull(again.bodyAsJsonObject().getString("taskId"));
    assertEquals(List.of(op1.actor(), op2.actor()), approvers(payout(large)));

    // All of it audited: the first approval while pending, the second as the move to approved.
    List<String> audit = trail(large);
    assertEquals("null>pending by " + admin.actor() + ": requested", audit.get(0));
    assertEquals("pending>pending by " + op1.actor() + ": approval 1 of 2", audit.get(1));
    assertEquals("pending>approved by " + op2.actor() + ": approved", audit.get(2));
    // The auto-approved and the twice-approved payouts are paid; the flagged ones wait.
    eventually(Duration.ofSeconds(15), () -> "completed".equals(status(large))
        && "completed".equals(status(second.getLong("id"))), "paid");
    assertEquals("pending", status(sixth.getLong("id")));
    assertEquals("pending", status(first.getLong("id")));
  }

  @Test
  void requestsAtTheSameInstantAreCountedOneAfterAnother() {
    long u = user("500.00");
    List<io.vertx.core.Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    String body = "{\"userId\": " + u + ", \"amount\": \"20.00\", \"method\": \"stripe_bank\"}";
    for (int i = 0; i < 9; i++) sent.add(op1.postAsync("/api/payouts", body, java.util.Map.of()));
    for (io.vertx.core.Future<HttpResponse<Buffer>> f : sent) assertEquals(201, await(f).statusCode());
    assertEquals(4L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1 AND 'velocity' = ANY(review_reasons)", u),
        "the sixth to the ninth");
    assertEquals(1L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1 AND 'first_payout' = ANY(review_reasons)", u));
  }

  @Test
  void aChangeOfPayoutMethodFlagsTheNextDaysPayouts() {
    long u = user("500.00");
    JsonObject first = request(op1, u, "10.00");
    assertEquals(List.of("first_payout"), reasons(first));
    assertEquals("approved", request(op1, u, "10.00").getString("status"), "in good standing");
    HttpResponse<Buffer> same = op1.patch("/api/users/" + u, "{\"preferredMethod\": \"stripe_bank\"}");
    assertEquals(200, same.statusCode(), same.bodyAsString());
    assertEquals("approved", request(op1, u, "10.00").getString("status"), "the same method again is no change");
    HttpResponse<Buffer> changed = op1.patch("/api/users/" + u, "{\"preferredMethod\": \"paypal\"}");
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    assertEquals("paypal", changed.bodyAsJsonObject().getString("preferredMethod"));
    JsonObject after = request(op1, u, "10.00");
    assertEquals("pending", after.getString("status"));
    assertEquals(List.of("method_changed"), reasons(after));
    assertEquals(403, viewer.patch("/api/users/" + u, "{\"preferredMethod\": \"check\"}").statusCode());
    assertEquals(202, approve(op2, after.getLong("id")).statusCode(), "a person may still approve it");
  }

  @Test
  void theRequesterOfALargePayoutMayNotApproveItAndNothingIsRecorded() {
    long u = user("3000.00");
    long id = request(op1, u, "1000.00").getLong("id");
    HttpResponse<Buffer> own = approve(op1, id);
    assertEquals(409, own.statusCode(), own.bodyAsString());
    assertTrue(own.bodyAsJsonObject().getJsonObject("error").getString("message").contains("requested"));
    assertEquals(0, payout(id).getJsonArray("approvals").size());
    assertEquals(1L, count("SELECT count(*) FROM payout_events WHERE payout_id = $1", id));
    // An operator then an admin (the other order of roles).
    assertEquals(202, approve(op2, id).statusCode());
    assertEquals("pending", status(id));
    assertEquals(202, approve(admin, id).statusCode());
    assertEquals(List.of(op2.actor(), admin.actor()), approvers(payout(id)));
    eventually(Duration.ofSeconds(15), () -> "completed".equals(status(id)), "paid");
  }

  @Test
  void anAdminThenAnOperatorApproveToo() {
    long u = user("3000.00");
    long id = request(op1, u, "1200.00").getLong("id");
    assertEquals(202, approve(admin, id).statusCode());
    assertEquals(409, approve(admin, id).statusCode(), "an admin twice");
    assertEquals(202, approve(op2, id).statusCode());
    assertEquals(List.of(admin.actor(), op2.actor()), approvers(payout(id)));
    eventually(Duration.ofSeconds(15), () -> "completed".equals(status(id)), "paid");
  }

  @Test
  void batchApprovalsApplyTheRulesPerId() {
    long u = user("5000.00");
    long flagged = request(admin, u, "20.00").getLong("id"); // first payout: waits for a person
    long large = request(admin, u, "1500.00").getLong("id");
    long mine = request(op1, u, "1100.00").getLong("id");
    long medium = request(admin, u, "200.00").getLong("id");
    assertEquals("pending", status(medium), "between the bounds: one approval");

    JsonObject first = op1.post("/api/payouts/batch", "{\"action\": \"approve\", \"ids\": [" + flagged + ", " + large
        + ", " + mine + ", " + medium + "]}").bodyAsJsonObject();
    JsonArray r = first.getJsonArray("results");
    assertEquals(new JsonObject().put("id", flagged).put("ok", true).put("status", "approved"), r.getJsonObject(0));
    assertEquals(new JsonObject().put("id", large).put("ok", true).put("status", "pending"), r.getJsonObject(1));
    assertFalse(r.getJsonObject(2).getBoolean("ok"), "its requester");
    assertTrue(r.getJsonObject(2).getString("error").contains("requested"), r.encode());
    assertEquals("approved", r.getJsonObject(3).getString("status"));

    JsonObject sameUser = op1.post("/api/payouts/batch", "{\"action\": \"approve\", \"ids\": [" + large + "]}").bodyAsJsonObject();
    assertFalse(sameUser.getJsonArray("results").getJsonObject(0).getBoolean("ok"));
    assertTrue(sameUser.getJsonArray("results").getJsonObject(0).getString("error").contains("approved it already"));
    assertEquals(1, payout(large).getJsonArray("approvals").size());

    // The second approvals: a single one after the batch's first, and a batch after a single first.
    assertEquals(202, approve(op2, large).statusCode());
    assertEquals(202, approve(op2, mine).statusCode());
    assertEquals("pending", status(mine));
    JsonObject second = admin.post("/api/payouts/batch", "{\"action\": \"approve\", \"ids\": [" + mine + "]}").bodyAsJsonObject();
    assertEquals("approved", second.getJsonArray("results").getJsonObject(0).getString("status"));
    HttpResponse<Buffer> byViewer = viewer.post("/api/payouts/batch", "{\"action\": \"approve\", \"ids\": [" + mine + "]}");
    assertEquals(403, byViewer.statusCode());
    eventually(Duration.ofSeconds(15), () -> List.of(flagged, large, mine, medium).stream()
        .allMatch(id -> "completed".equals(status(id))), "all paid");
    assertEquals(List.of(op2.actor(), admin.actor()), approvers(payout(mine)));
  }

  static List<Long> listed(ApiClient as, String query) {
    HttpResponse<Buffer> r = as.get("/api/payouts?limit=200&" + query);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    List<Long> out = new ArrayList<>();
    for (Object o : r.bodyAsJsonObject().getJsonArray("items")) out.add(((JsonObject) o).getLong("id"));
    return out;
  }

  @Test
  void theListFiltersByWhereAPayoutStandsInThePolicy() {
    long u = user("5000.00");
    long flagged = request(admin, u, "20.00").getLong("id"); // first_payout
    long byOp1 = request(op1, u, "1500.00").getLong("id");
    long halfway = request(admin, u, "1500.00").getLong("id");
    long plain = request(admin, u, "300.00").getLong("id");
    assertEquals(202, approve(op2, halfway).statusCode());

    assertTrue(listed(op1, "approval=needs_review").contains(flagged));
    assertFalse(listed(op1, "approval=needs_review").contains(plain));
    List<Long> second = listed(op1, "approval=second_approval");
    assertTrue(second.contains(halfway));
    assertFalse(second.contains(byOp1));
    List<Long> forOp1 = listed(op1, "approval=approvable");
    assertTrue(forOp1.containsAll(List.of(flagged, halfway, plain)), forOp1.toString());
    assertFalse(forOp1.contains(byOp1), "its requester may not approve it");
    List<Long> forOp2 = listed(op2, "approval=approvable");
    assertTrue(forOp2.contains(byOp1));
    assertFalse(forOp2.contains(halfway), "approved it already");
    assertEquals(List.of(), listed(viewer, "approval=approvable"), "a viewer may approve nothing");
    assertEquals(400, op1.get("/api/payouts?approval=soon").statusCode());
    // Leave nothing waiting with its funds held that another test's ledger check would mind (none would): reject them.
    for (long id : List.of(flagged, byOp1, halfway, plain)) {
      assertEquals(200, op1.post("/api/payouts/" + id + "/reject", "{\"reason\": \"test\"}").statusCode());
    }
  }

  @Test
  void aViewerReadsButChangesNothing() {
    long u = user("100.00");
    long id = request(op1, u, "30.00").getLong("id");
    assertEquals(200, viewer.get("/api/payouts/" + id).statusCode());
    assertEquals(200, viewer.get("/api/payouts?status=pending").statusCode());
    assertEquals(200, viewer.get("/api/users/" + u).statusCode());
    for (String[] call : new String[][] {
        {"/api/payouts", "{\"userId\": " + u + ", \"amount\": \"10.00\", \"method\": \"stripe_bank\"}"},
        {"/api/payouts/" + id + "/reject", "{\"reason\": \"no\"}"},
        {"/api/payouts/" + id + "/approve", null},
        {"/api/payouts/" + id + "/process", null},
        {"/api/users/" + u + "/credits", "{\"amount\": \"5.00\", \"reason\": \"x\"}"},
        {"/api/users/" + u + "/eligibility", "{\"eligible\": false, \"reason\": \"x\"}"},
        {"/admin/ajax/payout-action/", "{\"payout_id\": " + id + ", \"action\": \"approve\"}"},
        {"/api/staff", "{\"email\": \"v@example.com\", \"name\": \"V\", \"role\": \"admin\", \"password\": \"long enough password\"}"}}) {
      HttpResponse<Buffer> r = viewer.post(call[0], call[1]);
      assertEquals(403, r.statusCode(), call[0] + " " + r.bodyAsString());
      assertEquals("forbidden", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
    assertEquals("pending", status(id));
    assertEquals(List.of("null>pending by " + op1.actor() + ": requested"), trail(id));
    assertEquals("70.00", admin.getJson("/api/users/" + u).getString("available"), "only the one request holds");
    // A viewer may still make a token of their own (which acts as a viewer).
    HttpResponse<Buffer> token = viewer.post("/api/tokens", "{\"name\": \"mine\"}");
    assertEquals(201, token.statusCode(), token.bodyAsString());
    ApiClient viaToken = new ApiClient(stack.vertx, stack.port(), token.bodyAsJsonObject().getString("token"));
    assertEquals("viewer", viaToken.me().getString("role"));
    assertEquals(403, approve(viaToken, id).statusCode());
  }

  @Test
  void staffManagementIsForAdmins() {
    String email = "new-" + java.util.UUID.randomUUID() + "@example.com";
    HttpResponse<Buffer> created = admin.post("/api/staff", "{\"email\": \"" + email
        + "\", \"name\": \"New\", \"role\": \"operator\", \"password\": \"" + TestStack.PASSWORD + "\"}");
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject body = created.bodyAsJsonObject();
    long id = body.getLong("id");
    assertEquals(email, body.getString("email"));
    assertEquals("New", body.getString("name"));
    assertEquals("operator", body.getString("role"));
    assertFalse(body.containsKey("password"));
    assertEquals(409, admin.post("/api/staff", "{\"email\": \"" + email.toUpperCase()
        + "\", \"name\": \"Again\", \"role\": \"viewer\", \"password\": \"" + TestStack.PASSWORD + "\"}").statusCode());
    assertEquals(400, admin.post("/api/staff", "{\"email\": \"x@example.com\", \"name\": \"X\", \"role\": \"boss\", \"password\": \""
        + TestStack.PASSWORD + "\"}").statusCode());
    assertEquals(403, op1.post("/api/staff", "{\"email\": \"y@example.com\", \"name\": \"Y\", \"role\": \"admin\", \"password\": \""
        + TestStack.PASSWORD + "\"}").statusCode(), "an operator cannot make an admin");
    assertEquals(403, op1.get("/api/staff").statusCode());
    assertEquals(403, op1.patch("/api/staff/" + id, "{\"role\": \"admin\"}").statusCode());
    JsonArray listed = admin.getJson("/api/staff").getJsonArray("items");
    assertTrue(listed.stream().anyMatch(o -> ((JsonObject) o).getLong("id") == id));

    // Their token acts with their role, changes with it, and stops at once when they are disabled.
    String token = await(stack.graph.auth.createTokenFor(email, "t", null)).token();
    ApiClient them = new ApiClient(stack.vertx, stack.port(), token);
    long u = user("100.00");
    assertEquals(201, them.post("/api/payouts", "{\"userId\": " + u + ", \"amount\": \"10.00\", \"method\": \"stripe_bank\"}").statusCode());
    HttpResponse<Buffer> demoted = admin.patch("/api/staff/" + id, "{\"role\": \"viewer\"}");
    assertEquals(200, demoted.statusCode(), demoted.bodyAsString());
    assertEquals("viewer", demoted.bodyAsJsonObject().getString("role"));
    assertEquals(403, them.post("/api/payouts", "{\"userId\": " + u + ", \"amount\": \"10.00\", \"method\": \"stripe_bank\"}").statusCode());
    assertEquals(200, them.get("/api/payouts?limit=1").statusCode());

    HttpResponse<Buffer> login = await(stack.http().post("/api/auth/login").putHeader("Content-Type", "application/json")
        .sendJsonObject(new JsonObject().put("email", email).put("password", TestStack.PASSWORD)));
    assertEquals(200, login.statusCode(), login.bodyAsString());
    String cookie = login.cookies().get(0).split(";")[0];
    assertEquals(200, await(stack.http().get("/api/auth/me").putHeader("Cookie", cookie).send()).statusCode());

    HttpResponse<Buffer> disabled = admin.patch("/api/staff/" + id, "{\"disabled\": true}");
    assertEquals(200, disabled.statusCode(), disabled.bodyAsString());
    assertTrue(disabled.bodyAsJsonObject().getBoolean("disabled"));
    assertEquals(401, them.get("/api/payouts?limit=1").statusCode(), "their token stopped");
    assertEquals(401, await(stack.http().get("/api/payouts?limit=1").putHeader("Cookie", cookie).send()).statusCode(),
        "their session stopped");
    assertEquals(401, await(stack.http().post("/api/auth/login").putHeader("Content-Type", "application/json")
        .sendJsonObject(new JsonObject().put("email", email).put("password", TestStack.PASSWORD))).statusCode());
    assertEquals(200, admin.patch("/api/staff/" + id, "{\"disabled\": false}").statusCode());
    assertEquals(200, them.get("/api/payouts?limit=1").statusCode(), "enabled again, their token works again");
  }

  @Test
  void processingRefusesAPayoutWithoutTheApprovalsItsPolicyRequires() {
    long u = user("3000.00");
    long id = request(admin, u, "2000.00").getLong("id");
    assertEquals(202, approve(op1, id).statusCode());
    // As if a bug or a hand in the database moved it on after one approval.
    await(stack.db.pool().preparedQuery("UPDATE payout_requests SET status = 'approved', approved_at = now() WHERE id = $1")
        .execute(Tuple.of(id)));
    List<ProcessResult> results = await(stack.graph.payouts.process(List.of(id), "test"));
    assertEquals(ProcessResult.Kind.SKIPPED, results.get(0).kind());
    assertEquals("approved", status(id));
    assertNull(payout(id).getString("gatewayKey"), "never sent to the gateway");
    assertFalse(((ScriptedGateway) stack.gateway).payCalls.stream().anyMatch(k -> k.endsWith("-" + id + "-0")));
    assertEquals(0L, count("SELECT count(*) FROM payout_events WHERE payout_id = $1 AND to_status = 'processing'", id));
    // The hand undone, the second approval makes it payable.
    await(stack.db.pool().preparedQuery("UPDATE payout_requests SET status = 'pending', approved_at = NULL WHERE id = $1")
        .execute(Tuple.of(id)));
    assertEquals(202, approve(op2, id).statusCode());
    eventually(Duration.ofSeconds(15), () -> "completed".equals(status(id)), "paid after the second approval");
    assertEquals(PayoutStatus.COMPLETED.wire(), status(id));
  }
}
