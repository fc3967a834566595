package com.payouts.support;

import com.payouts.app.ConfigKeys;
import com.payouts.app.EmbeddedServers;
import com.payouts.app.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place that decides which Postgres and Redis the tests use: PAYOUTS_TEST_PG_URL and
 * PAYOUTS_TEST_REDIS_URL when set; else the machine's servers on their default ports when they
 * answer; else embedded servers on free ports, started once per test JVM (surefire runs two side by
 * side) and stopped at its end. Every
 * test reaches Postgres and Redis through here.
 */
public final class TestServers {
  static final String DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres";
  static final String DEFAULT_REDIS = "redis://127.0.0.1:6379";

  private static Resolved resolved;

  private record Resolved(String postgres, String redis) {}

  private TestServers() {}

  /** A Postgres server URL whose user may create and drop databases. */
  public static String postgresUrl() {
    return resolve().postgres();
  }

  public static String redisUrl() {
    return resolve().redis();
  }

  private static synchronized Resolved resolve() {
    if (resolved != null) return resolved;
    String pg = configured("PAYOUTS_TEST_PG_URL", DEFAULT_PG, 5432);
    String redis = configured("PAYOUTS_TEST_REDIS_URL", DEFAULT_REDIS, 6379);
    if (pg == null || redis == null) {
      try {
        Path dir = Files.createTempDirectory("payouts-test-servers-");
        EmbeddedServers embedded = new EmbeddedServers("tests", false);
        Settings asked = Settings.from(Settings.defaults().put(ConfigKeys.DATA_DIR, dir.toString()))
            .withServers(pg, redis);
        Settings started = embedded.ensure(asked, EmbeddedServers.Use.OWN);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          embedded.close();
          deleteTree(dir);
        }));
        System.err.println("tests: no " + (pg == null ? "Postgres on 127.0.0.1:5432" : "")
            + (pg == null && redis == null ? " and no " : "") + (redis == null ? "Redis on 127.0.0.1:6379" : "")
            + "; using embedded servers: " + started.pgUrl() + " " + started.redisUrl());
        pg = started.pgUrl();
        redis = started.redisUrl();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded test servers", e);
      }
    }
    resolved = new Resolved(pg, redis);
    return resolved;
  }

  /** The environment's URL, else the default when its port answers, else null. */
  private static String configured(String env, String fallback, int port) {
    String v = System.getenv(env);
    if (v != null && !v.isBlank()) return v;
    return answers(port) ? fallback : null;
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory: the OS cleans it eventually
    }
  }
}
