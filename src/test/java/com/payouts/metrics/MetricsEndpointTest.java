package com.payouts.metrics;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.app.NodeSettings;
import com.payouts.app.NodeVertx;
import com.payouts.app.Role;
import com.payouts.app.ServiceGraph;
import com.payouts.support.ApiClient;
import com.payouts.support.Await;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestStack;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node built as {@code serve} builds it (Vert.x with Micrometer into a Prometheus registry) pays
 * two payouts, one declined, through the API; then {@code GET /metrics} carries every series the
 * operators alert on, and /health separates liveness from readiness.
 */
class MetricsEndpointTest {
  static Vertx vertx;
  static TestStack stack;
  static ApiClient api;

  @BeforeAll
  static void start() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = await(NodeVertx.start(false, NodeSettings.from(new JsonObject(), 0), registry));
    ServiceGraph.Node node = new ServiceGraph.Node("metrics-node", new ServiceMetrics(registry), Duration.ofSeconds(1));
    stack = await(TestStack.builder().node(node).roles(Role.ALL.toArray(Role[]::new)).start(vertx));
    ((ScriptedGateway) stack.gateway).then(ScriptedGateway.Step.SUCCEED, ScriptedGateway.Step.DECLINE_FINAL);
    api = await(stack.staffClient());
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
    await(vertx.close());
  }

  @Test
  void metricsCarryTheSeriesOperatorsAlertOn() {
    long user = await(stack.f.userWith("100.00")).id();
    for (String amount : List.of("20.00", "30.00")) {
      HttpResponse<Buffer> created = api.post("/api/payouts",
          new JsonObject().put("userId", user).put("amount", amount).put("method", "paypal").encode());
      assertEquals(201, created.statusCode(), created.bodyAsString());
      long id = created.bodyAsJsonObject().getLong("id");
      assertEquals(202, api.post("/api/payouts/" + id + "/approve", "{}").statusCode());
      Await.eventually(Duration.ofSeconds(20), () -> {
        String status = api.getJson("/api/payouts/" + id).getString("status");
        return status.equals("completed") || status.equals("failed");
      }, "payout " + id + " paid or declined");
    }

    HttpResponse<Buffer> r = await(stack.http().get("/metrics").send());
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/plain"), r.getHeader("Content-Type"));
    String text = r.bodyAsString();
    has(text, "payouts\\{method=\"paypal\",status=\"completed\"} 1\\.0");
    has(text, "payouts\\{method=\"paypal\",status=\"failed\"} 1\\.0");
    has(text, "payouts_transitions_total\\{method=\"paypal\",to=\"completed\"} 1\\.0");
    has(text, "payouts_transitions_total\\{method=\"paypal\",to=\"approved\"} 2\\.0");
    has(text, "payouts_gateway_call_seconds_bucket\\{operation=\"pay\",le=\"[^\"]+\"}");
    has(text, "payouts_gateway_call_seconds_count\\{operation=\"pay\"} 2$");
    has(text, "payouts_gateway_errors_total\\{code=\"[a-z_]+\"} 1\\.0");
    for (String p : List.of("urgent", "high", "normal", "low")) {
      has(text, "payouts_queue_depth\\{priority=\"" + p + "\"} 0\\.0");
      has(text, "payouts_queue_oldest_job_age_seconds\\{priority=\"" + p + "\"} ");
    }
    has(text, "payouts_jobs_in_flight ");
    has(text, "payouts_retries_scheduled ");
    has(text, "payouts_dead_letters 0\\.0");
    has(text, "payouts_event_loop_lag_seconds ");
    has(text, "payouts_event_loop_delay_seconds_count ");
    // Vert.x's own: HTTP latency per route, and the database pool's use
    has(text, "vertx_http_server_response_time_seconds_count\\{[^}]*route=\"[^\"]*/api/payouts/:id/:action\"}");
    has(text, "vertx_pool_in_use\\{[^}]*pool_type=\"sql\"");
  }

  @Test
  void liveAndReadyAreSeparateAndReadinessTurnsOffOnShutdown() {
    assertEquals(200, await(stack.http().get("/health/live").send()).statusCode());
    HttpResponse<Buffer> ready = await(stack.http().get("/health/ready").send());
    assertEquals(200, ready.statusCode());
    assertEquals("up", ready.bodyAsJsonObject().getString("postgres"));
    assertEquals("up", ready.bodyAsJsonObject().getString("redis"));
    stack.graph.readiness.drain();
    HttpResponse<Buffer> draining = await(stack.http().get("/health/ready").send());
    assertEquals(503, draining.statusCode());
    assertEquals("draining", draining.bodyAsJsonObject().getString("status"));
    assertEquals(200, await(stack.http().get("/health/live").send()).statusCode(), "still alive while it drains");
  }

  private static void has(String text, String regex) {
    assertTrue(Pattern.compile("(?m)^" + regex).matcher(text).find(), () -> "no line matching " + regex + " in:\n"
        + text.lines().filter(l -> l.startsWith("payouts") || l.startsWith("vertx_http_server") || l.startsWith("vertx_pool"))
            .reduce("", (a, b) -> a + b + "\n"));
  }
}
