package com.payouts.http;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.RetryPolicy;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.junit5.VertxExtension;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAPI document lists exactly the routes the API verticle serves. */
@ExtendWith(VertxExtension.class)
class OpenApiDocumentTest {
  static TestStack stack;
  static TestDatabase db;
  static ApiVerticle api;
  static ApiClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().roles(Role.HTTP).start(vertx));
    db = stack.db;
    api = stack.apiVerticle();
    client = await(stack.staffClient());
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  /** "METHOD /path/{param}" for every route of the API (not the dashboard's pages). */
  static Set<String> routes() {
    Set<String> out = new TreeSet<>();
    for (Route r : api.router().getRoutes()) {
      String path = r.getPath();
      if (path == null || r.methods() == null || r.methods().isEmpty()) continue;
      if (!path.startsWith("/api/") && !path.startsWith("/admin/ajax/") && !path.equals("/health")) continue;
      String templated = path.replaceAll(":([A-Za-z]+)", "{$1}");
      for (HttpMethod m : r.methods()) out.add(m.name() + " " + templated);
    }
    return out;
  }

  static Set<String> documented(String yaml) {
    Set<String> out = new TreeSet<>();
    Matcher paths = Pattern.compile("(?m)^paths:\\n((?:(?: .*)?\\n)*?)^\\S").matcher(yaml);
    assertTrue(paths.find(), "the document has paths");
    String current = null;
    for (String line : paths.group(1).split("\n")) {
      Matcher path = Pattern.compile("^  (/\\S*):\\s*$").matcher(line);
      Matcher op = Pattern.compile("^    (get|post|put|delete|patch):").matcher(line);
      if (path.find()) current = path.group(1);
      else if (op.find()) out.add(op.group(1).toUpperCase(Locale.ROOT) + " " + current);
    }
    return out;
  }

  @Test
  void theDocumentIsServedAndMatchesTheRoutes() {
    var r = client.get("/api/openapi.yaml");
    assertEquals(200, r.statusCode());
    String yaml = r.bodyAsString();
    assertTrue(yaml.startsWith("openapi: 3"));
    Set<String> doc = documented(yaml);
    Set<String> served = routes();
    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(doc);
    Set<String> unserved = new TreeSet<>(doc);
    unserved.removeAll(served);
    assertTrue(undocumented.isEmpty(), "served but not documented: " + undocumented);
    assertTrue(unserved.isEmpty(), "documented but not served: " + unserved);
    assertTrue(served.size() > 20, "sanity: " + served);
  }
}
