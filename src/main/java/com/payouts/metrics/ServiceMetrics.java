package com.payouts.metrics;

import com.payouts.db.StatsRepository.StatusMethodCount;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.Priority;
import com.payouts.domain.Transition;
import com.payouts.service.TransitionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's own series, beside the ones Vert.x records (HTTP per route, pools, event bus):
 * payouts by status and method, transitions, gateway latency and errors, the queue's depth and
 * oldest job per priority, jobs in flight, retries scheduled, dead letters and event-loop lag.
 * Gauges hold the last value read; {@link MetricsVerticle} refreshes them.
 */
public final class ServiceMetrics {
  private final PrometheusMeterRegistry registry;
  private final Map<String, Counter> transitions = new ConcurrentHashMap<>();
  private final Map<String, Counter> gatewayErrors = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> payouts = new ConcurrentHashMap<>();
  private final Map<Priority, AtomicLong> depth = new EnumMap<>(Priority.class);
  private final Map<Priority, AtomicLong> oldestMs = new EnumMap<>(Priority.class);
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong retriesScheduled = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong eventLoopLagNanos = new AtomicLong();
  private final Timer gatewayPay;
  private final Timer gatewayLookup;
  private final Timer eventLoopLag;

  public ServiceMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    for (Priority p : Priority.values()) {
      depth.put(p, gauge("payouts_queue_depth", "Jobs ready to be claimed", "priority", p.wire()));
      AtomicLong age = new AtomicLong();
      oldestMs.put(p, age);
      Gauge.builder("payouts_queue_oldest_job_age_seconds", age, a -> a.get() / 1000.0)
          .description("Age of the oldest ready job").tag("priority", p.wire()).register(registry);
    }
    Gauge.builder("payouts_jobs_in_flight", inFlight, AtomicLong::get).description("Jobs claimed and not yet finished")
        .register(registry);
    Gauge.builder("payouts_retries_scheduled", retriesScheduled, AtomicLong::get)
        .description("Jobs waiting for their retry time").register(registry);
    Gauge.builder("payouts_dead_letters", deadLetters, AtomicLong::get).description("Jobs out of attempts")
        .register(registry);
    Gauge.builder("payouts_event_loop_lag_seconds", eventLoopLagNanos, n -> n.get() / 1e9)
        .description("How late the last event-loop probe ran").register(registry);
    eventLoopLag = Timer.builder("payouts_event_loop_delay").description("How late event-loop probes ran")
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
    gatewayPay = gatewayTimer("pay");
    gatewayLookup = gatewayTimer("lookup");
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every series. */
  public String scrape() {
    return registry.scrape();
  }

  /** Counts committed transitions by target status and method (their rate is transitions per second). */
  public TransitionListener transitionCounter() {
    return ts -> {
      for (Transition t : ts) {
        String to = t.payout().status().wire();
        String method = t.payout().method().wire();
        transitions.computeIfAbsent(to + "|" + method, k -> Counter.builder("payouts_transitions")
            .description("Committed payout transitions").tag("to", to).tag("method", method).register(registry))
            .increment();
      }
    };
  }

  public void gatewayCall(String operation, long nanos) {
    ("lookup".equals(operation) ? gatewayLookup : gatewayPay).record(Duration.ofNanos(nanos));
  }

  /** A declined payment or a call whose outcome is unknown ("unavailable"). */
  public void gatewayError(String code) {
    String c = code == null || code.isBlank() ? "unknown" : code;
    gatewayErrors.computeIfAbsent(c, k -> Counter.builder("payouts_gateway_errors").description("Gateway errors by code")
        .tag("code", k).register(registry)).increment();
  }

  /** From {@code JobQueue.depth()}. */
  public void queue(JsonObject d) {
    for (Priority p : Priority.values()) {
      depth.get(p).set(d.getLong(p.wire(), 0L));
      oldestMs.get(p).set(d.getJsonObject("oldestReadyAgeMsByPriority", new JsonObject()).getLong(p.wire(), 0L));
    }
    inFlight.set(d.getLong("inflight", 0L));
    retriesScheduled.set(d.getLong("delayed", 0L));
    deadLetters.set(d.getLong("dead", 0L));
  }

  public void payouts(List<StatusMethodCount> counts) {
    payouts.values().forEach(v -> v.set(0));
    for (StatusMethodCount c : counts) cell(c.status(), c.method()).set(c.count());
  }

  public void eventLoopLag(long nanos) {
    eventLoopLagNanos.set(nanos);
    eventLoopLag.record(Duration.ofNanos(nanos));
  }

  private AtomicLong cell(PayoutStatus status, PayoutMethod method) {
    return payouts.computeIfAbsent(status.wire() + "|" + method.wire(),
        k -> gauge("payouts", "Payouts in each status, per method", "status", status.wire(), "method", method.wire()));
  }

  private AtomicLong gauge(String name, String description, String... tags) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(name, value, AtomicLong::get).description(description).tags(tags).register(registry);
    return value;
  }

  private Timer gatewayTimer(String operation) {
    return Timer.builder("payouts_gateway_call").description("Gateway call latency").tag("operation", operation)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
  }
}
