package com.payouts.dashboard;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.payouts.app.Role;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutReturn;
import com.payouts.domain.Priority;
import com.payouts.domain.UserAccount;
import com.payouts.queue.Job;
import com.payouts.queue.JobQueue;
import com.payouts.support.TestStack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * After the payment, in headless Chromium over the whole stack: a dead letter requeued from the
 * dead-letter tab after its preview, and a user switched back on after a return from the user page.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AfterPaymentBrowserTest {
  static TestStack stack;
  static String staffEmail;
  static String base;
  static HeadlessChromium chrome;
  static WebDriver driver;
  static WebDriverWait wait;
  static String missing;

  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    missing = HeadlessChromium.missing();
    if (missing != null) return;
    // No processor: a requeued job stays queued, where the test can see it.
    stack = await(TestStack.builder().roles(Role.HTTP).start(vertx));
    staffEmail = await(stack.staffUser());
    base = "http://127.0.0.1:" + stack.port();
    chrome = HeadlessChromium.start();
    driver = chrome.driver;
    wait = chrome.wait;
    driver.get(base + "/");
    wait.until(ExpectedConditions.urlContains("/login.html"));
    css("#email").sendKeys(staffEmail);
    css("#password").sendKeys(TestStack.PASSWORD);
    css("#login-submit").click();
    wait.until(d -> d.getCurrentUrl().equals(base + "/"));
  }

  @BeforeEach
  void needsABrowser() {
    assumeTrue(missing == null, () -> "browser test skipped: " + missing);
  }

  @AfterAll
  static void stop() throws IOException {
    if (chrome != null) chrome.close();
    if (stack != null) await(stack.stop());
  }

  static WebElement css(String selector) {
    try {
      return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(selector)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no visible " + selector + "; " + evidence(), e);
    }
  }

  static String evidence() {
    try {
      Files.createDirectories(Path.of("target"));
      Files.write(Path.of("target", "after-payment-failure.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (IOException | RuntimeException ignored) {
      // the console says more
    }
    List<String> console = new ArrayList<>();
    driver.manage().logs().get(LogType.BROWSER).forEach(e -> console.add(e.getLevel() + " " + e.getMessage()));
    return "url " + driver.getCurrentUrl() + ", console " + console;
  }

  static String text(String selector) {
    Object t = ((JavascriptExecutor) driver).executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : ''", selector);
    return t == null ? "" : t.toString();
  }

  static Job deadJob(long payoutId, String error) {
    JobQueue q = stack.graph.queue;
    Job j = Job.of("process_payout", new JsonObject().put("payoutId", payoutId), Priority.NORMAL, 1);
    await(q.enqueue(j));
    for (Job c : await(q.claim("test", 100, Duration.ofSeconds(30)))) await(q.fail("test", c.id(), error, Duration.ZERO));
    return j;
  }

  @Test
  @Order(1)
  void aDeadLetterIsRequeuedFromTheDashboardAfterItsPreview() {
    Job keep = deadJob(7, "connection reset");
    Job back = deadJob(8, "gateway timeout");
    driver.get(base + "/?tab=dead");  // the tab lives in the URL
    css("#dead-rows tr[data-job='" + back.id() + "']");
    assertEquals("true", String.valueOf(((JavascriptExecutor) driver).executeScript("return document.querySelector('#panel').hidden")));
    css("#dead-rows tr[data-job='" + back.id() + "'] input[type='checkbox']").click();
    css("#dead-preview").click();
    css("#dead-confirm-list li[data-job='" + back.id() + "']");
    assertEquals(1, driver.findElements(By.cssSelector("#dead-confirm-list li")).size(), "the preview lists only what goes back");
    assertTrue(text("#dead-confirm-list").contains("#8"), text("#dead-confirm-list"));
    assertTrue(text("#dead-confirm-list").contains("gateway timeout"));
    css("#dead-apply").click();
    wait.until(d -> d.findElements(By.cssSelector("#dead-rows tr[data-job='" + back.id() + "']")).isEmpty());
    assertTrue(text("#dead-summary").startsWith("Requeued 1 of 1"), text("#dead-summary"));
    css("#dead-rows tr[data-job='" + keep.id() + "']");
    List<JobQueue.DeadLetter> dead = await(stack.graph.queue.deadLetterDetails(10));
    assertEquals(List.of(keep.id()), dead.stream().map(d -> d.job().id()).toList());
    assertEquals("queued", await(stack.graph.queue.taskStatus(back.id())).orElseThrow().getString("state"));
  }

  @Test
  @Order(2)
  void aReturnedUserIsSwitchedBackOnFromTheUserPage() {
    UserAccount u = await(stack.f.userWith("300.00"));
    Payout p = await(stack.f.approved(u.id(), "80.00", PayoutMethod.STRIPE_BANK));
    await(stack.f.payouts.process(List.of(p.id()), "test"));
    Payout paid = await(stack.f.payouts.detail(p.id())).payout();
    assertEquals("completed", paid.status().wire());
    await(stack.f.payouts.applyReturn(new PayoutReturn("evt_browser_1", PayoutReturn.EVENT_TYPE, String.valueOf(p.id()),
        paid.transactionId(), paid.amount(), "no_account", Instant.now(), "{}"), "webhook"));

    // From the payout list, the user's email leads to their page.
    driver.get(base + "/?status=returned");
    css("#rows tr[data-id='" + p.id() + "'] a.user-link");
    assertEquals("returned", String.valueOf(((JavascriptExecutor) driver).executeScript(
        "return document.querySelector('#filters select[name=status]').value")), "the filter comes from the URL");
    String export = css("#export").getAttribute("href");
    assertTrue(export.contains("/api/payouts/export.csv?") && export.contains("status=returned")
        && !export.contains("limit=") && !export.contains("cursor="), "Export takes the filters, not the page: " + export);
    css("#rows tr[data-id='" + p.id() + "'] a.user-link").click();
    wait.until(ExpectedConditions.urlContains("/user.html?id=" + u.id()));
    css("#user-eligible[data-eligible='false']");
    assertEquals("300.00", text("#user-available"), "the returned amount is available again");
    assertTrue(text("#user-reason").contains("was returned"), text("#user-reason"));
    css("#returns-rows tr[data-id='" + p.id() + "']");
    assertTrue(text("#returns-rows").contains("no account"));
    css("#ledger-rows tr[data-kind='return']");

    // A reason is required.
    css("#elig-switch").click();
    wait.until(d -> !text("#elig-error").isEmpty());
    assertFalse(await(stack.f.accounts.find(u.id())).eligible(), "nothing changed without a reason");

    css("#elig-reason").sendKeys("customer sent new bank details");
    css("#elig-switch").click();
    css("#user-eligible[data-eligible='true']");
    wait.until(d -> d.findElements(By.cssSelector("#elig-history li")).size() == 2);
    assertTrue(text("#elig-history li:first-child").contains("customer sent new bank details"), text("#elig-history"));
    assertTrue(text("#elig-history li:first-child").contains(staffEmail), text("#elig-history"));
    UserAccount after = await(stack.f.accounts.find(u.id()));
    assertTrue(after.eligible());
    assertEquals("customer sent new bank details", after.eligibilityReason());
    assertEquals(2L, await(stack.f.count("SELECT count(*) FROM user_events WHERE user_id = $1", u.id())));
  }
}
