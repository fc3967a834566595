package com.payouts.dashboard;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Where the sign-in page sends a signed-in user: the decision ({@code safeNext} in next.js) against a
 * table of hostile and ordinary values in the browser that runs it, then the page itself, signed in,
 * with hostile ?next= values: it stays on this service every time.
 */
@ExtendWith(VertxExtension.class)
class LoginRedirectBrowserTest {
  static String missing;
  static TestDatabase db;
  static TestStack stack;
  static String staffEmail;
  static String base;
  static HeadlessChromium chrome;
  static WebDriver driver;
  static WebDriverWait wait;

  /** What ?next= holds, and where the page must go. */
  static final Map<String, String> TABLE = new LinkedHashMap<>();

  static {
    TABLE.put("/", "/");
    TABLE.put("/admin/payout-queue/?status=pending", "/admin/payout-queue/?status=pending");
    TABLE.put("/index.html?q=ann#rows", "/index.html?q=ann#rows");
    TABLE.put("//evil.example", "/");
    TABLE.put("//evil.example/index.html", "/");
    TABLE.put("/\\evil.example", "/");
    TABLE.put("\\\\evil.example", "/");
    TABLE.put("/a\\b", "/");
    TABLE.put("https://evil.example", "/");
    TABLE.put("http:evil.example", "/");
    TABLE.put("javascript:alert(1)", "/");
    TABLE.put("JaVaScRiPt:alert(1)", "/");
    TABLE.put("data:text/html,<script>alert(1)</script>", "/");
    TABLE.put("/\t/evil.example", "/");
    TABLE.put("/\n/evil.example", "/");
    TABLE.put("/\r/evil.example", "/");
    TABLE.put("/x\u0000y", "/");
    TABLE.put("\t//evil.example", "/");
    TABLE.put(" //evil.example", "/");
    TABLE.put("/..//evil.example", "/");
    TABLE.put("/.//evil.example", "/");
    TABLE.put("/%2F%2Fevil.example", "/%2F%2Fevil.example");
    TABLE.put("evil.example", "/");
    TABLE.put("", "/");
    TABLE.put("/" + "a".repeat(3000), "/");
  }

  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    missing = HeadlessChromium.missing();
    if (missing != null) return;
    stack = await(TestStack.builder().poolSize(4).roles(Role.HTTP).start(vertx));
    db = stack.db;
    staffEmail = await(stack.staffUser());
    base = "http://127.0.0.1:" + stack.port();
    // Every name resolves to nothing: a page that did leave for evil.example goes nowhere real.
    chrome = HeadlessChromium.start("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
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

  @Test
  void safeNextKeepsEveryValueOnThisService() {
    driver.get(base + "/login.html");
    List<String> inputs = new ArrayList<>(TABLE.keySet());
    @SuppressWarnings("unchecked")
    List<Object> got = (List<Object>) ((JavascriptExecutor) driver).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        import('/next.js').then((m) => done(arguments[0].map((v) => m.safeNext(v))
            .concat([m.safeNext(null), m.safeNext(undefined), m.safeNext(42)])))
          .catch((e) => done(['import failed: ' + e]));""", inputs);
    List<String> expected = new ArrayList<>(TABLE.values());
    expected.addAll(List.of("/", "/", "/"));
    for (int i = 0; i < inputs.size(); i++) {
      assertEquals(expected.get(i), got.get(i), "safeNext(" + inputs.get(i).replace("\t", "\\t").replace("\n", "\\n")
          .replace("\r", "\\r").replace("\u0000", "\\0") + ")");
    }
    assertEquals(expected, got);
  }

  /** The page as a person meets it: signed in through the form, then sent back by hostile links. */
  @Test
  void aSignedInUserIsSentOnlyToAPathOfThisService() {
    driver.get(base + "/login.html?next=" + enc("/\t/evil.example"));
    wait.until(d -> !d.findElements(By.id("email")).isEmpty());
    driver.findElement(By.id("email")).sendKeys(staffEmail);
    driver.findElement(By.id("password")).sendKeys("correct horse battery");
    driver.findElement(By.id("login-submit")).click();
    wait.until(d -> !d.getCurrentUrl().contains("/login.html"));
    assertEquals(base + "/", driver.getCurrentUrl());
    for (String hostile : List.of("//evil.example", "/\\evil.example", "https://evil.example", "/..//evil.example",
        "/\n/evil.example", "javascript:document.title='owned'")) {
      driver.get(base + "/login.html?next=" + enc(hostile));
      wait.until(d -> !d.getCurrentUrl().contains("/login.html"));
      assertEquals(base + "/", driver.getCurrentUrl(), "next=" + hostile);
      assertNotEquals("owned", driver.getTitle());
    }
    driver.get(base + "/login.html?next=" + enc("/admin/payout-queue/?status=pending"));
    wait.until(d -> !d.getCurrentUrl().contains("/login.html"));
    assertEquals(base + "/admin/payout-queue/?status=pending", driver.getCurrentUrl());
  }

  /**
   * A form sent while the page's "already signed in?" check is still on its way (a quick hand, a
   * password manager) signs in like any other: it never goes the browser's own way, a GET of the page
   * with the password in its address. The check is held back three seconds here, so the form is sent
   * well before it answers.
   */
  @Test
  void aFormSentBeforeTheSessionCheckAnswersSignsInAndKeepsThePasswordOutOfTheAddress() {
    ChromeDriver chromeDriver = (ChromeDriver) driver;
    Map<String, Object> added = chromeDriver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        const realFetch = window.fetch.bind(window);
        window.fetch = (input, init) => String(input).includes('/api/auth/me')
          ? new Promise((resolve) => setTimeout(resolve, 3000)).then(() => realFetch(input, init))
          : realFetch(input, init);"""));
    try {
      driver.manage().deleteAllCookies();
      driver.get(base + "/login.html");
      driver.findElement(By.id("email")).sendKeys(staffEmail);
      driver.findElement(By.id("password")).sendKeys("correct horse battery");
      driver.findElement(By.id("login-submit")).click();
      List<String> seen = new ArrayList<>();
      wait.until(d -> {
        seen.add(d.getCurrentUrl());
        return !d.getCurrentUrl().contains("/login.html");
      });
      assertEquals(base + "/", driver.getCurrentUrl());
      for (String url : seen) assertFalse(url.contains("password") || url.contains("battery"), url);
    } finally {
      chromeDriver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", added.get("identifier")));
      driver.manage().deleteAllCookies();
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
