package com.payouts.dashboard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by its chromedriver, on a profile of its own that is deleted
 * on close; the browser's console log is kept for the tests that read it. Every browser test class
 * starts one in its {@code @BeforeAll} and closes it in its {@code @AfterAll}.
 */
final class HeadlessChromium implements AutoCloseable {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  final WebDriver driver;
  final WebDriverWait wait;
  private final Path profile;

  private HeadlessChromium(WebDriver driver, Path profile) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    this.profile = profile;
  }

  /**
   * Why the browser tests cannot run here, or null. Not an assumption in {@code @BeforeAll}: one
   * failed there aborts the class, and Surefire then reports "Tests run: 0" with no word of why;
   * each test is skipped instead, with this reason.
   */
  static String missing() {
    if (!Files.isExecutable(Path.of(CHROMIUM))) return "no Chromium at " + CHROMIUM + " (Debian package chromium)";
    if (!Files.isExecutable(Path.of(CHROMEDRIVER))) {
      return "no chromedriver at " + CHROMEDRIVER + " (Debian package chromium-driver)";
    }
    return null;
  }

  /** A browser with the usual flags and a 1366x900 window, plus {@code extraArguments}. */
  static HeadlessChromium start(String... extraArguments) throws IOException {
    Path profile = Files.createTempDirectory("payouts-chromium-");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM);
    List<String> args = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1366,900"));
    args.addAll(List.of(extraArguments));
    o.addArguments(args);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    try {
      return new HeadlessChromium(new ChromeDriver(new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build(), o), profile);
    } catch (RuntimeException e) {
      deleteTree(profile);
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
