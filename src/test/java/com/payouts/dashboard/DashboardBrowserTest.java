package com.payouts.dashboard;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.payouts.domain.NewPayout;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.Priority;
import com.payouts.service.PayoutDispatcher;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.ScriptedGateway.Step;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium over the whole stack: sign-in page, cards, an approval that
 * finishes by push alone, the batch processor, the detail drawer; and screenshots for the README.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  static Vertx vertx;
  static TestDatabase db;
  static TestStack stack;
  static String staffEmail;
  static Fixtures f;
  static ScriptedGateway gateway;
  static PayoutDispatcher dispatcher;
  static String token;
  static int port;
  static String base;
  static HeadlessChromium chrome;
  static WebDriver driver;
  static WebDriverWait wait;

  /** Why the browser tests cannot run here, or null. */
  static String missing;

  @BeforeAll
  static void start(Vertx v) throws IOException {
    missing = HeadlessChromium.missing();
    // Not an assumption here: one failed in @BeforeAll aborts the class, and Surefire then reports
    // "Tests run: 0" with no word of why. Each test is skipped instead, with the reason.
    if (missing != null) return;
    vertx = v;
    stack = await(TestStack.builder().poolSize(16).roles(Role.HTTP, Role.STATS, Role.PROCESSOR).start(vertx));
    db = stack.db;
    gateway = (ScriptedGateway) stack.gateway;
    f = stack.f;
    dispatcher = stack.graph.dispatcher;
    staffEmail = await(stack.staffUser());
    token = await(stack.graph.auth.createTokenFor(staffEmail, "test", null)).token();
    port = stack.port();
    base = "http://127.0.0.1:" + port;

    chrome = HeadlessChromium.start();
    driver = chrome.driver;
    wait = chrome.wait;
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

  static long user(String email, String balance) {
    long id = await(f.accounts.createUser(email, email.substring(0, email.indexOf('@')), PayoutMethod.STRIPE_BANK)).id();
    await(f.accounts.credit(id, new BigDecimal(balance), "affiliate earnings"));
    return id;
  }

  static Payout payout(long userId, String amount, PayoutMethod method, Priority priority) {
    return await(f.payouts.create(new NewPayout(userId, new BigDecimal(amount), method, priority, null), "seed"));
  }

  static WebElement css(String selector) {
    try {
      return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(selector)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no visible " + selector + "; " + evidence(), e);
    }
  }

  /** For a failure: a screenshot in target/ and what the console said. */
  static String evidence() {
    try {
      screenshot("dashboard-failure.png");
    } catch (IOException | RuntimeException ignored) {
      // the console is the better half anyway
    }
    List<String> console = new ArrayList<>();
    driver.manage().logs().get(LogType.BROWSER).forEach(e -> console.add(e.getLevel() + " " + e.getMessage()));
    return "url " + driver.getCurrentUrl() + ", console " + console;
  }

  /**
   * The element's text as written (getText would apply CSS text-transform), read in one step: rows are
   * replaced as pushes arrive, so a found element can be gone a moment later. "" when there is none.
   */
  static String text(String selector) {
    Object t = js("const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : ''", selector);
    return t == null ? "" : t.toString();
  }

  static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  static String row(long id) {
    return "#rows tr[data-id='" + id + "']";
  }

  static void screenshot(String file) throws IOException {
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", file), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  @Order(1)
  void approveByClickFollowsByPushThenABatchOfThree() throws IOException {
    long ann = user("ann.lee@example.com", "20000.00");
    long bo = user("bo.chen@example.com", "20000.00");
    Payout single = payout(ann, "250.00", PayoutMethod.STRIPE_BANK, Priority.HIGH);
    Payout b1 = payout(bo, "120.00", PayoutMethod.PAYPAL, Priority.NORMAL);
    Payout b2 = payout(ann, "75.50", PayoutMethod.STRIPE_BANK, Priority.LOW);
    Payout b3 = payout(bo, "1500.00", PayoutMethod.CHECK, Priority.URGENT);
    payout(ann, "42.00", PayoutMethod.PAYPAL, Priority.NORMAL);

    // Signing in goes through the sign-in page.
    driver.get(base + "/");
    wait.until(ExpectedConditions.urlContains("/login.html"));
    css("#email");
    css("#email").sendKeys(staffEmail);
    css("#password").sendKeys("correct horse battery");
    css("#login-submit").click();
    wait.until(d -> d.getCurrentUrl().equals(base + "/"));
    css("#conn[data-state='live']");
    css(row(single.id()));
    assertEquals(staffEmail, text("#who"));

    // The cards show the database's figures.
    wait.until(d -> text("[data-card='pending'] [data-count]").equals("5"));
    assertEquals("1,987.50", text("[data-card='pending'] [data-sum]"));
    assertEquals("0", text("[data-card='completedToday'] [data-count]"));

    js("window.__loadedOnce = 'yes'");
    String listLoads = (String) js("return document.body.dataset.listLoads");
    pause(500); // the bridge registers once the session lookup is done

    css(row(single.id()) + " button[data-action='approve']").click();
    wait.until(d -> Set.of("completed", "failed").contains(text(row(single.id()) + " .badge")));
    assertEquals("completed", text(row(single.id()) + " .badge"));
    assertEquals("yes", js("return window.__loadedOnce"), "the page was not reloaded");
    assertEquals(listLoads, js("return document.body.dataset.listLoads"), "the list was not fetched again: pushed");
    wait.until(d -> text("[data-card='pending'] [data-count]").equals("4"));
    wait.until(d -> text("[data-card='completedToday'] [data-count]").equals("1"));
    assertEquals("250.00", text("[data-card='completedToday'] [data-sum]"));
    // The toast names the task and follows it to the end.
    WebElement toast = css(".toast[data-task]");
    String taskId = toast.getDomAttribute("data-task");
    assertTrue(toast.getText().contains(taskId), toast.getText());
    wait.until(d -> "succeeded".equals(d.findElement(By.cssSelector(".toast[data-task='" + taskId + "']")).getDomAttribute("data-state")));

    // The detail drawer: audit trail and ledger; Escape closes it and gives focus back.
    css(row(single.id()) + " .col-id button").click();
    css("#drawer .facts");
    wait.until(d -> text("#drawer-body").contains("Audit trail") && text("#drawer-body").contains("settle"));
    assertTrue(text("#drawer-body").contains("po_"), "transaction id shown");
    assertFalse(text("#drawer-body").contains("null"), text("#drawer-body"));
    screenshot("dashboard-drawer.png");
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("drawer")));
    assertEquals("#" + single.id(), driver.switchTo().activeElement().getText());

    // The batch processor: select three, preview count and totals, apply, see each row's result.
    css("#tab-batch").click();
    for (Payout p : List.of(b1, b2, b3)) css(row(p.id()) + " .col-select input").click();
    assertEquals("3 selected", text("#batch-selected"));
    new Select(css("#batch-action")).selectByValue("approve");
    css("#batch-preview").click();
    assertEquals("3", text("#preview-count"));
    assertEquals("1,695.50", text("#preview-total"));
    assertEquals("7.65", text("#preview-fees")); // 2.40 PayPal + 0.25 bank + 5.00 check
    assertEquals("1,687.85", text("#preview-net"));
    css("#batch-apply").click();
    for (Payout p : List.of(b1, b2, b3)) {
      wait.until(d -> text(row(p.id()) + " [data-result]").startsWith("✓"));
    }
    assertTrue(text("#batch-summary").startsWith("3 approved"), text("#batch-summary"));
    for (Payout p : List.of(b1, b2, b3)) wait.until(d -> text(row(p.id()) + " .badge").equals("completed"));
    wait.until(d -> text("[data-card='completedToday'] [data-count]").equals("4"));
    assertEquals("yes", js("return window.__loadedOnce"));
    pause(600); // let the last highlight fade a little
    screenshot("dashboard.png");
    assertNoScriptErrors();
  }

  @Test
  @Order(2)
  void aScreenshotWithFortyPayoutsInEveryState() throws IOException {
    String[] people = {"maria.garcia", "dev.patel", "lena.schmidt", "tom.okafor", "yuki.tanaka", "sara.jones",
        "omar.haddad", "ivy.nguyen"};
    List<Long> users = new ArrayList<>();
    for (String name : people) users.add(user(name + "@example.com", "50000.00"));
    String[] amounts = {"12.40", "85.00", "240.00", "1250.00", "7800.00", "64.99", "310.00", "2100.00", "18.75",
        "450.00", "99.00", "5600.00", "130.25", "720.00", "33.10", "980.00", "1575.50", "260.00", "47.00", "3400.00"};
    PayoutMethod[] methods = PayoutMethod.values();
    Priority[] priorities = {Priority.NORMAL, Priority.HIGH, Priority.NORMAL, Priority.LOW, Priority.URGENT, Priority.NORMAL};
    List<Payout> made = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      made.add(payout(users.get((i * 3 + i / 4) % users.size()), amounts[(i * 7 + i / 4) % amounts.length],
          methods[i % methods.length], priorities[(i + i / 4) % priorities.length]));
    }
    // Older requests, so "days pending" means something.
    for (int i = 0; i < made.size(); i++) {
      await(db.pool().preparedQuery("UPDATE payout_requests SET created_at = created_at - make_interval(days => $1), "
          + "updated_at = updated_at - make_interval(days => $1) WHERE id = $2")
          .execute(Tuple.of(1 + i % 4, made.get(i).id())));
    }
    // 12 stay pending; 5 approved (not yet queued); 4 rejected; 17 paid or declined; 2 stuck at the gateway.
    for (int i = 12; i < 17; i++) await(f.payouts.approveOne(made.get(i).id(), "seed"));
    for (int i = 17; i < 21; i++) await(f.payouts.rejectOne(made.get(i).id(), "seed", "duplicate request"));
    driver.get(base + "/");
    css("#conn[data-state='live']");
    gateway.then(Step.SUCCEED, Step.DECLINE_FINAL, Step.SUCCEED, Step.DECLINE_RETRYABLE, Step.SUCCEED,
        Step.SUCCEED, Step.SUCCEED, Step.DECLINE_FINAL, Step.SUCCEED, Step.SUCCEED, Step.SUCCEED,
        Step.DECLINE_RETRYABLE, Step.SUCCEED, Step.SUCCEED, Step.SUCCEED, Step.SUCCEED, Step.SUCCEED);
    for (int i = 21; i < 38; i++) await(dispatcher.approve(made.get(i).id(), "user:1:seed"));
    wait.until(d -> await(f.count("SELECT count(*) FROM payout_requests WHERE status IN ('completed', 'failed')"))
        >= 4 + 17);
    // Only now the two whose gateway never answers: a group waits for all of its gateway calls.
    gateway.then(Step.HANG, Step.HANG);
    for (int i = 38; i < 40; i++) await(dispatcher.approve(made.get(i).id(), "user:1:seed"));
    wait.until(d -> await(f.count("SELECT count(*) FROM payout_requests WHERE status = 'processing'")) == 2);
    pause(1_000); // let the last pushes land
    driver.navigate().refresh(); // a clean first page for the picture
    css("#conn[data-state='live']");
    css("#rows tr");
    pause(800);
    screenshot("dashboard-seeded.png");
    assertTrue(driver.findElements(By.cssSelector("#rows tr")).size() >= 25);
    assertNoScriptErrors();
  }

  @Test
  @Order(3)
  void fiftyApprovedAtOnceFromTheBatchTab() throws IOException {
    long u = user("fifty.at.once@example.com", "100000.00");
    List<Payout> fifty = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;
    BigDecimal fees = BigDecimal.ZERO;
    for (int i = 0; i < 50; i++) {
      Payout p = payout(u, (10 + i) + ".00", PayoutMethod.PAYPAL, Priority.NORMAL);
      fifty.add(p);
      total = total.add(p.amount());
      fees = fees.add(PayoutMethod.PAYPAL.fee(p.amount()));
    }
    driver.get(base + "/");
    css("#conn[data-state='live']");
    new Select(css("#limit")).selectByValue("50");
    css("#filters input[name='q']").sendKeys("fifty.at.once", Keys.ENTER);
    wait.until(d -> d.findElements(By.cssSelector("#rows tr")).size() == 50
        && d.findElements(By.cssSelector("#rows .badge.st-pending")).size() == 50);
    css("#tab-batch").click();
    css("#select-page").click();
    assertEquals("50 selected", text("#batch-selected"));
    css("#batch-preview").click();
    assertEquals("50", text("#preview-count"));
    assertEquals(String.format("%,.2f", total), text("#preview-total"));
    assertEquals(String.format("%,.2f", fees), text("#preview-fees"));
    String listLoads = (String) js("return document.body.dataset.listLoads");
    pause(300);
    css("#batch-apply").click();
    wait.until(d -> d.findElements(By.cssSelector("#rows .result.ok")).size() == 50);
    screenshot("dashboard-batch50.png"); // what a person sees right after applying
    wait.until(d -> d.findElements(By.cssSelector("#rows .badge.st-completed")).size() == 50);
    assertEquals(listLoads, js("return document.body.dataset.listLoads"), "50 rows followed by push, no reload");
    assertTrue(text("#batch-summary").startsWith("50 approved"), text("#batch-summary"));
    screenshot("dashboard-batch50-done.png");
    assertNoScriptErrors();
  }

  @Test
  @Order(4)
  void aDroppedChannelShowsItReconnectsAndReloadsWhatItMissed() {
    long u = user("dropped.channel@example.com", "1000.00");
    Payout missed = payout(u, "64.00", PayoutMethod.CHECK, Priority.HIGH);
    driver.get(base + "/");
    css("#conn[data-state='live']");
    css(row(missed.id()));
    js("window.__loadedOnce = 'yes'; window.__states = [];"
        + "new MutationObserver(() => window.__states.push(document.querySelector('#conn').dataset.state))"
        + ".observe(document.querySelector('#conn'), {attributes: true, attributeFilter: ['data-state']});");
    long loads = Long.parseLong((String) js("return document.body.dataset.listLoads"));

    // The HTTP server goes away (a restart, say) and a change happens while nobody is listening...
    await(vertx.undeploy(stack.apiVerticle().deploymentID()));
    await(f.payouts.approveOne(missed.id(), "user:1:elsewhere"));
    wait.until(d -> ((List<?>) js("return window.__states")).contains("reconnecting"));
    pause(500);
    // ...then it is back on the same port.
    await(vertx.deployVerticle(stack.graph.apiVerticle(port)));

    css("#conn[data-state='live']");
    wait.until(d -> text(row(missed.id()) + " .badge").equals("approved"));
    assertTrue(Long.parseLong((String) js("return document.body.dataset.listLoads")) > loads, "the list was reloaded");
    assertEquals("yes", js("return window.__loadedOnce"), "by itself, without a page reload");
    assertNoScriptErrors();
  }

  /**
   * Behind a proxy that blocks WebSockets the SockJS client falls back to XHR. The page is told to use
   * only those ({@code ?transports=}), and a change made through the API still reaches its row by
   * push: with XHR streaming, then with XHR polling. A script run before the page's own records what
   * the client asked of /eventbus, so the test knows which transport carried the push.
   */
  @Test
  @Order(5)
  void withoutWebSocketsARowStillChangesByPushOverXhrStreamingAndXhrPolling() {
    WebClient api = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    long u = user("no.websocket@example.com", "1000.00");
    String recorder = """
        window.__eventbus = [];
        const open = XMLHttpRequest.prototype.open;
        XMLHttpRequest.prototype.open = function (method, url, ...rest) {
          if (String(url).includes('/eventbus/')) window.__eventbus.push(method + ' ' + url);
          return open.call(this, method, url, ...rest);
        };
        const Native = window.WebSocket;
        window.WebSocket = function (...args) {
          window.__eventbus.push('WEBSOCKET ' + args[0]);
          return new Native(...args);
        };
        """;
    ChromeDriver cdp = (ChromeDriver) driver;
    Object script = cdp.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", recorder))
        .get("identifier");
    try {
      for (String[] run : new String[][] {{"xhr-streaming,xhr-polling", "xhr_streaming"}, {"xhr-polling", "xhr"}}) {
        Payout p = payout(u, "33.00", PayoutMethod.PAYPAL, Priority.NORMAL);
        openSignedIn("/?transports=" + run[0]);
        css(row(p.id()));
        assertEquals("pending", text(row(p.id()) + " .badge"));
        js("window.__loadedOnce = 'yes'");
        String listLoads = (String) js("return document.body.dataset.listLoads");
        pause(500); // the bridge registers once the session lookup is done

        HttpResponse<Buffer> r = await(api.post("/api/payouts/" + p.id() + "/reject").bearerTokenAuthentication(token)
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"reason\":\"duplicate\"}")));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        try {
          wait.until(d -> text(row(p.id()) + " .badge").equals("rejected"));
        } catch (org.openqa.selenium.TimeoutException e) {
          throw new AssertionError("no push over " + run[1] + ": asked " + js("return window.__eventbus") + "; "
              + evidence(), e);
        }
        assertEquals("yes", js("return window.__loadedOnce"), "the page was not reloaded");
        assertEquals(listLoads, js("return document.body.dataset.listLoads"), "the list was not fetched again: pushed");

        List<String> asked = ((List<?>) js("return window.__eventbus")).stream().map(String::valueOf).toList();
        assertTrue(asked.stream().noneMatch(a -> a.startsWith("WEBSOCKET")), "no WebSocket tried: " + asked);
        assertTrue(asked.stream().anyMatch(a -> a.matches("POST .*/eventbus/[^/]+/[^/]+/" + run[1] + "(\\?.*)?")),
            run[1] + " carried it: " + asked);
        assertTrue(asked.stream().anyMatch(a -> a.matches("POST .*/xhr_send(\\?.*)?")), "frames went by xhr_send: " + asked);
      }
    } finally {
      cdp.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", script));
    }
    assertNoScriptErrors();
  }

  /**
   * The pages are native ES modules: each one that a page's import graph names (read from web-static/)
   * was fetched and answered 200, nothing the page asked this service for failed, the modules work
   * together (a payout whose fields hold markup shows it as text in its row and drawer), and the
   * console is clean. Then Sign out, and the same for the sign-in page, its own entry.
   */
  @Test
  @Order(6)
  void everyModuleOfBothPagesLoadsAndNothingFails() throws IOException {
    // Markup in a payout's fields is shown as text, never run (all of it is rendered by textContent).
    String notes = "<img src=x onerror=\"window.__owned='notes'\"><b>bold</b>";
    String reason = "<script>window.__owned='reason'</script>";
    Payout marked = await(f.payouts.create(new NewPayout(user("markup@example.com", "500.00"), new BigDecimal("12.00"),
        PayoutMethod.PAYPAL, Priority.NORMAL, notes), "seed"));
    await(f.payouts.rejectOne(marked.id(), "seed", reason));

    openSignedIn("/");
    css(row(marked.id()));
    wait.until(d -> js("return document.body.dataset.listLoads") != null);
    assertModulesLoaded("index.html");
    css(row(marked.id()) + " .col-id button").click();
    wait.until(d -> text("#drawer-body").contains("Rejection reason"));
    assertTrue(text("#drawer-body").contains(notes), text("#drawer-body"));
    assertTrue(text("#drawer-body").contains(reason), text("#drawer-body"));
    assertEquals(0L, js("return document.querySelectorAll('#drawer-body img, #drawer-body b, #drawer-body script').length"));
    assertNull(js("return window.__owned ?? null"));
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("drawer")));
    assertNoScriptErrors();

    css("#logout").click();
    wait.until(ExpectedConditions.urlContains("/login.html"));
    css("#email");
    assertModulesLoaded("login.html");
    assertNoScriptErrors();
  }

  /** The page's module scripts and, from each, what it imports (or re-exports): a relative "./x.js" of web-static/. */
  static Set<String> moduleGraph(String page) throws IOException {
    Path root = Path.of("web-static");
    Deque<String> todo = new ArrayDeque<>();
    Matcher entry = Pattern.compile("<script type=\"module\" src=\"/([^\"]+)\"")
        .matcher(Files.readString(root.resolve(page)));
    while (entry.find()) todo.add(entry.group(1));
    Set<String> seen = new TreeSet<>();
    Pattern imports = Pattern.compile("^(?:import|export)\\s(?:[^;']*?from\\s+)?'\\./([^']+)';", Pattern.MULTILINE);
    while (!todo.isEmpty()) {
      String module = todo.pop();
      if (!seen.add(module)) continue;
      Matcher m = imports.matcher(Files.readString(root.resolve(module)));
      while (m.find()) todo.add(m.group(1));
    }
    return seen;
  }

  /** What the page fetched from this service, by path, and the status each answer had (resource timing). */
  @SuppressWarnings("unchecked")
  static Map<String, Long> fetched() {
    Map<String, Long> byPath = new TreeMap<>();
    for (Object o : (List<Object>) js("return performance.getEntriesByType('resource')"
        + ".filter((e) => e.name.startsWith(location.origin + '/'))"
        + ".map((e) => [new URL(e.name).pathname, e.responseStatus])")) {
      List<Object> e = (List<Object>) o;
      byPath.merge((String) e.get(0), ((Number) e.get(1)).longValue(), Math::max);
    }
    return byPath;
  }

  static void assertModulesLoaded(String page) throws IOException {
    Set<String> modules = moduleGraph(page);
    Map<String, Long> fetched = fetched();
    assertTrue(modules.size() >= (page.equals("index.html") ? 10 : 3), page + " is made of modules: " + modules);
    for (String module : modules) {
      assertEquals(200L, fetched.get("/" + module), page + ": module " + module + " in " + fetched);
    }
    fetched.forEach((path, status) -> assertTrue(status < 400 || path.equals("/api/auth/me"),
        page + ": " + path + " answered " + status));
  }

  /** Opens a dashboard address, signing in on the way if the browser has no session yet, until it is live. */
  static void openSignedIn(String path) {
    driver.get(base + path);
    wait.until(d -> d.getCurrentUrl().contains("/login.html")
        || "live".equals(js("const c = document.querySelector('#conn'); return c ? c.dataset.state : null")));
    if (driver.getCurrentUrl().contains("/login.html")) {
      css("#email").sendKeys(staffEmail);
      css("#password").sendKeys("correct horse battery");
      css("#login-submit").click();
      wait.until(ExpectedConditions.urlToBe(base + path));
    }
    css("#conn[data-state='live']");
  }

  /** No script error and no Content-Security-Policy refusal in the console. */
  static void assertNoScriptErrors() {
    List<String> bad = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      String m = e.getMessage();
      boolean expected401 = m.contains("/api/auth/me") && m.contains("401"); // the sign-in page asks once
      if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !expected401) bad.add(m);
      else if (m.contains("Content Security Policy") || m.contains("Uncaught")) bad.add(m);
    }
    assertTrue(bad.isEmpty(), "browser console: " + bad);
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new RuntimeException(e);
    }
  }
}
