package com.payouts.dashboard;

import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.payouts.app.ConfigKeys;
import com.payouts.app.Role;
import com.payouts.auth.StaffRole;
import com.payouts.db.LedgerVerifier;
import com.payouts.support.ApiClient;
import com.payouts.support.TestStack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard under an approval policy, in headless Chromium: a 1,500.00 payout approved by one
 * operator shows "1 of 2 approvals" and who gave it (and no Approve button for them), a viewer sees
 * it with no action buttons at all, and a second operator finds it under "I may approve" and gives
 * the second approval.
 */
@ExtendWith(VertxExtension.class)
class ApprovalBrowserTest {
  static TestStack stack;
  static String base;
  static HeadlessChromium chrome;
  static WebDriver driver;
  static WebDriverWait wait;
  static String missing;

  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    missing = HeadlessChromium.missing();
    if (missing != null) return;
    stack = await(TestStack.builder()
        .set(ConfigKeys.APPROVAL_POLICY, "auto-below=50.00,two-approvers-from=1000.00")
        .roles(Role.HTTP, Role.STATS, Role.PROCESSOR).start(vertx));
    base = "http://127.0.0.1:" + stack.port();
    chrome = HeadlessChromium.start();
    driver = chrome.driver;
    wait = chrome.wait;
  }

  @AfterAll
  static void stop() throws IOException {
    if (chrome != null) chrome.close();
    if (stack != null) await(stack.stop());
  }

  /** A staff user with this role who signs in with {@link TestStack#PASSWORD}; their email. */
  static String staff(StaffRole role) {
    String email = role.wire() + "-" + UUID.randomUUID() + "@example.com";
    await(stack.graph.auth.createStaff(email, "Staff", role, TestStack.PASSWORD));
    return email;
  }

  static WebElement css(String selector) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(selector)));
  }

  /** The element's text now, or "" while it is being redrawn. */
  static String textOf(String selector) {
    try {
      List<WebElement> found = driver.findElements(By.cssSelector(selector));
      return found.isEmpty() ? "" : found.get(0).getText();
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return "";
    }
  }

  static void click(String selector) {
    wait.until(d -> {
      try {
        d.findElement(By.cssSelector(selector)).click();
        return true;
      } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
        return false;
      }
    });
  }

  static String row(long id) {
    return "#rows tr[data-id='" + id + "']";
  }

  static void signIn(String email) {
    driver.manage().deleteAllCookies();
    driver.get(base + "/");
    wait.until(ExpectedConditions.urlContains("/login.html"));
    css("#email").sendKeys(email);
    css("#password").sendKeys(TestStack.PASSWORD);
    css("#login-submit").click();
    wait.until(d -> d.getCurrentUrl().equals(base + "/"));
    wait.until(d -> email.equals(d.findElement(By.id("who")).getText()));
  }

  @Test
  void oneOfTwoApprovalsShowsWhoGaveItAndAViewerSeesNoButtons() {
    assumeTrue(missing == null, missing);
    String op1 = staff(StaffRole.OPERATOR);
    String op2 = staff(StaffRole.OPERATOR);
    String viewer = staff(StaffRole.VIEWER);
    ApiClient admin = await(stack.staffClient(StaffRole.ADMIN));
    JsonObject user = admin.post("/api/users", "{\"email\": \"payee-" + UUID.randomUUID()
        + "@example.com\", \"name\": \"Payee\"}").bodyAsJsonObject();
    long u = user.getLong("id");
    assertEquals(201, admin.post("/api/users/" + u + "/credits", "{\"amount\": \"2000.00\", \"reason\": \"earnings\"}").statusCode());
    long id = admin.post("/api/payouts", "{\"userId\": " + u + ", \"amount\": \"1500.00\", \"method\": \"stripe_bank\"}")
        .bodyAsJsonObject().getLong("id");

    // The first operator approves: the row says 1 of 2, by whom, and offers them no second Approve.
    signIn(op1);
    css(row(id) + " .badge.reason[data-reason='first_payout']");
    click(row(id) + " [data-action='approve']");
    // Rows are redrawn as changes arrive: read the text afresh until it says so.
    String note = row(id) + " .approvals-note[data-approvals='1/2']";
    css(note);
    wait.until(d -> textOf(note).contains("1 of 2 approvals") && textOf(note).contains(op1));
    wait.until(d -> d.findElements(By.cssSelector(row(id) + " [data-action='approve']")).isEmpty());
    assertFalse(driver.findElements(By.cssSelector(row(id) + " [data-action='reject']")).isEmpty(), "may still reject");
    new Select(css("#filters select[name='approval']")).selectByValue("second_approval");
    css(row(id) + " .approvals-note");
    assertEquals("pending", admin.getJson("/api/payouts/" + id).getString("status"));

    // A viewer sees where it stands, and no action button anywhere.
    signIn(viewer);
    css(row(id) + " .approvals-note[data-approvals='1/2']");
    assertEquals(List.of(), driver.findElements(By.cssSelector("#rows button[data-action]")));
    assertFalse(css("#tab-batch").isDisplayed(), "no batch processor for a viewer");
    assertFalse(css("#staff-link").isDisplayed(), "no staff page for a viewer");

    // The second operator finds it under "I may approve" and gives the second approval.
    signIn(op2);
    new Select(css("#filters select[name='approval']")).selectByValue("approvable");
    click(row(id) + " [data-action='approve']");
    eventually(Duration.ofSeconds(15), () -> "completed".equals(admin.getJson("/api/payouts/" + id).getString("status")),
        "paid after the second approval");
    JsonObject paid = admin.getJson("/api/payouts/" + id);
    assertEquals(2, paid.getJsonArray("approvals").size());
    assertTrue(paid.getJsonArray("approvals").getJsonObject(0).getString("actor").endsWith(":" + op1));
    assertTrue(paid.getJsonArray("approvals").getJsonObject(1).getString("actor").endsWith(":" + op2));
    List<LedgerVerifier.Violation> broken = await(new LedgerVerifier(stack.db.pool()).verify());
    assertTrue(broken.isEmpty(), () -> "invariants broken: " + broken);

    // The admin's staff page lists the three of them.
    signIn(staffAdmin());
    click("#staff-link");
    wait.until(d -> d.getCurrentUrl().equals(base + "/staff.html"));
    css("#staff-rows tr");
    wait.until(d -> textOf("#staff-rows").contains(op1) && textOf("#staff-rows").contains(op2)
        && textOf("#staff-rows").contains(viewer));
  }

  static String staffAdmin() {
    return staff(StaffRole.ADMIN);
  }
}
