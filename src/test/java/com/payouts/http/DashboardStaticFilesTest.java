package com.payouts.http;

import com.payouts.app.Role;
import com.payouts.support.Await;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.RetryPolicy;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard's static files: whatever is in {@code web-static/} (packaged as {@code webroot/}) is
 * served, by its name alone, with the page headers; nothing outside it is, however the path is spelt.
 */
@ExtendWith(VertxExtension.class)
class DashboardStaticFilesTest {
  static TestStack stack;
  static TestDatabase db;
  static HttpClient http;
  static int port;
  static Vertx vertx;
  static String token;
  /** The sources, as the repository holds them. */
  static final Path SOURCES = Path.of("web-static");

  /** What one request got: status, headers as a map of lower-case names, body. */
  record Answer(int status, Map<String, String> headers, Buffer body) {
    String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    stack = await(TestStack.builder().poolSize(4).roles(Role.HTTP).start(vertx));
    db = stack.db;
    token = await(stack.staffToken());
    http = vertx.createHttpClient();
    port = stack.port();
  }

  @AfterAll
  static void stop() {
    if (stack != null) await(stack.stop());
  }

  /** GET with the path sent exactly as written (no client-side normalising of dots or escapes). */
  static Answer get(String rawPath, String... headers) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(rawPath);
    for (int i = 0; i < headers.length; i += 2) o.putHeader(headers[i], headers[i + 1]);
    return await(Await.onLoop(vertx, () -> http.request(o).compose(req -> req.send())
        .compose(r -> r.body().map(b -> answer(r, b)))));
  }

  static Answer answer(HttpClientResponse r, Buffer body) {
    Map<String, String> headers = new java.util.HashMap<>();
    r.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
    return new Answer(r.statusCode(), headers, body);
  }

  static void assertPageHeaders(Answer a, String what) {
    assertEquals(200, a.status(), what);
    assertEquals(DashboardRoutes.CSP, a.header("Content-Security-Policy"), what);
    assertEquals("nosniff", a.header("X-Content-Type-Options"), what);
    assertEquals("no-referrer", a.header("Referrer-Policy"), what);
    assertEquals("DENY", a.header("X-Frame-Options"), what);
    assertEquals("same-origin", a.header("Cross-Origin-Opener-Policy"), what);
    assertEquals("no-cache", a.header("Cache-Control"), what);
  }

  /** Module scripts run only when served as JavaScript; styles and pages need their own types too. */
  static void assertContentType(Answer a, String file) {
    String type = Objects.requireNonNullElse(a.header("Content-Type"), "");
    if (file.endsWith(".js")) assertTrue(type.startsWith("text/javascript"), file + ": " + type);
    if (file.endsWith(".css")) assertTrue(type.startsWith("text/css"), file + ": " + type);
    if (file.endsWith(".html")) assertTrue(type.startsWith("text/html"), file + ": " + type);
  }

  /** Every file in the sources, by its path under web-static/ ("/app.js", "/sub/x.css"), hidden ones aside. */
  static List<String> sourceFiles() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(Files::isRegularFile).map(SOURCES::relativize)
          .filter(p -> Stream.iterate(p, Objects::nonNull, Path::getParent)
              .noneMatch(part -> part.getFileName().toString().startsWith(".")))
          .map(p -> "/" + p.toString().replace('\\', '/')).sorted().toList();
    }
  }

  /** The packaged webroot on the test class path (target/classes/webroot in a Maven build). */
  static Path packagedWebroot() throws URISyntaxException {
    return Path.of(Objects.requireNonNull(DashboardStaticFilesTest.class.getClassLoader().getResource("webroot/index.html"),
        "webroot/index.html on the class path").toURI()).getParent();
  }

  @Test
  void everyFileInWebStaticIsServedAsItIsWithThePageHeaders() throws IOException {
    List<String> files = sourceFiles();
    assertTrue(files.containsAll(List.of("/index.html", "/login.html", "/app.js", "/eventbus.js", "/style.css")), files.toString());
    for (String file : files) {
      Answer a = get(file);
      assertPageHeaders(a, file);
      assertContentType(a, file);
      assertArrayEquals(Files.readAllBytes(SOURCES.resolve(file.substring(1))), a.body().getBytes(), file + ": the file as it is");
    }
  }

  @Test
  void aFileDroppedIntoTheWebrootIsServedWithoutAnyCodeChange() throws Exception {
    Path webroot = packagedWebroot();
    String name = "dropped-" + UUID.randomUUID();
    Path module = webroot.resolve(name + ".js");
    Path dir = webroot.resolve(name);
    Path nested = dir.resolve("nested.css");
    Path empty = dir.resolve("empty");
    Path hidden = webroot.resolve("." + name);
    assertEquals(404, get("/" + name + ".js").status(), "not there yet");
    try {
      Files.writeString(module, "export const dropped = true;\n");
      Files.createDirectories(empty);
      Files.writeString(nested, "body { color: black; }\n");
      Files.writeString(hidden, "secret\n");

      Answer js = get("/" + name + ".js");
      assertPageHeaders(js, "a new module");
      assertContentType(js, name + ".js");
      assertEquals("export const dropped = true;\n", js.body().toString(StandardCharsets.UTF_8));
      Answer css = get("/" + name + "/nested.css");
      assertPageHeaders(css, "a new file in a new folder");
      assertContentType(css, "nested.css");

      // No folder is listed (without its slash it is only sent to it), and hidden files stay hidden.
      Answer folder = get("/" + name);
      assertEquals(301, folder.status());
      assertEquals("/" + name + "/", folder.header("Location"));
      for (String path : List.of("/" + name + "/", "/" + name + "/empty/", "/." + name)) {
        Answer a = get(path);
        assertEquals(404, a.status(), path);
        assertFalse(a.body().toString().contains("nested.css"), path + ": " + a.body());
        assertFalse(a.body().toString().contains("secret"), path);
      }
    } finally {
      Files.deleteIfExists(module);
      Files.deleteIfExists(hidden);
      deleteTree(dir);
    }
  }

  @Test
  void nothingOutsideTheWebrootAndNoUnknownFile() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    List<String> paths = new ArrayList<>(List.of(
        // The repository and the class path, outright and by way of dot segments, escaped or not.
        "/pom.xml", "/../pom.xml", "/../../pom.xml", "/%2e%2e/pom.xml", "/%2E%2E/%2E%2E/pom.xml", "/..%2fpom.xml",
        "/..%2f..%2fpom.xml", "/.%2e/pom.xml", "/index.html/../../pom.xml", "/webroot/index.html", "/webroot/../pom.xml",
        "/openapi.yaml", "/logback.xml", "/db/", "/com/payouts/http/DashboardRoutes.class", "/META-INF/MANIFEST.MF",
        "/%2fetc%2fpasswd", "//etc/passwd", "/..%5cpom.xml",
        // Names that are not there, near ones included.
        "/nope.js", "/app.jsx", "/App.js", "/app.js.map", "/index.htm", "/style.css%00.js"));
    for (String path : paths) {
      Answer a = get(path);
      assertTrue(a.status() == 404 || a.status() == 400, path + " answered " + a.status());
      assertFalse(a.body().toString().contains("<project"), path + " showed the pom");
      assertFalse(a.body().toString().contains("root:"), path);
      assertNotEquals("no-cache", a.header("Cache-Control"), path + ": no page headers on a miss");
    }
    assertTrue(pom.contains("<project"), "the marker the answers are checked against");
    // A path the webroot does not hold goes on untouched: the API's own 404, still never stored.
    Answer api = get("/api/no-such-endpoint", "Authorization", "Bearer " + token);
    assertEquals(404, api.status(), api.body().toString());
    assertEquals("no-store", api.header("Cache-Control"));
    assertNull(api.header("Content-Security-Policy"));
  }

  @Test
  void theDashboardsAddressesShowItsPages() throws IOException {
    String index = Files.readString(SOURCES.resolve("index.html"));
    String login = Files.readString(SOURCES.resolve("login.html"));
    for (Map.Entry<String, String> e : Map.of("/", index, "/admin/payout-queue/", index, "/admin/payout-queue", index,
        "/login", login, "/login.html", login, "/index.html", index).entrySet()) {
      Answer a = get(e.getKey());
      assertPageHeaders(a, e.getKey());
      assertContentType(a, ".html");
      assertEquals(e.getValue(), a.body().toString(StandardCharsets.UTF_8), e.getKey());
    }
    // The SockJS client keeps its own caching: its path carries its version.
    Answer sockjs = get(DashboardRoutes.SOCKJS_CLIENT);
    assertEquals(200, sockjs.status());
    assertNotEquals("no-cache", sockjs.header("Cache-Control"));
    assertEquals(DashboardRoutes.CSP, sockjs.header("Content-Security-Policy"));
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
