package com.payouts.app;

import com.payouts.http.ApiVerticle;
import com.payouts.http.OpsVerticle;
import com.payouts.processor.ProcessorVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the verticles of a process's roles over one {@link ServiceGraph}, in order: the metrics,
 * processors, then the retry scheduler, the stats aggregator, and last the HTTP API (or, on a node
 * without the http role, only /health and /metrics), so nothing is served before what it relies on
 * runs. The stats aggregator also runs on every http node: it coalesces the cluster's transitions
 * for that node's browsers. {@link #drain()} stops them in the order a graceful shutdown needs;
 * undeploying it undeploys whatever is left.
 */
public class MainVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private final ServiceGraph graph;
  private final Set<Role> roles;
  private final List<String> deployed = new ArrayList<>();
  private ApiVerticle api;
  private OpsVerticle ops;

  public MainVerticle(ServiceGraph graph) {
    this(graph, Role.ALL);
  }

  public MainVerticle(ServiceGraph graph, Set<Role> roles) {
    if (roles.isEmpty()) throw new IllegalArgumentException("a process needs at least one role");
    this.graph = graph;
    this.roles = EnumSet.copyOf(roles);
  }

  @Override
  public Future<?> start() {
    Future<?> chain = deploy(graph.metricsVerticle());
    if (roles.contains(Role.PROCESSOR)) {
      for (ProcessorVerticle p : graph.processorVerticles()) chain = chain.compose(v -> deploy(p));
    }
    if (roles.contains(Role.RETRY)) {
      // The poller may run on every retry node: each gateway event is applied once, by its id.
      chain = chain.compose(v -> deploy(graph.retrySchedulerVerticle()))
          .compose(v -> deploy(graph.gatewayEventPollerVerticle()));
    }
    if (roles.contains(Role.STATS) || roles.contains(Role.HTTP)) {
      chain = chain.compose(v -> deploy(graph.statsAggregatorVerticle()));
    }
    if (roles.contains(Role.HTTP)) {
      api = graph.apiVerticle();
      chain = chain.compose(v -> deploy(api))
          .onSuccess(id -> log.info("HTTP API listening on port {}", api.actualPort()));
    } else {
      ops = graph.opsVerticle();
      chain = chain.compose(v -> deploy(ops))
          .onSuccess(id -> log.info("health and metrics on port {}", ops.actualPort()));
    }
    return chain.onSuccess(v -> log.info("node {} running roles {}", graph.node().name(),
        roles.stream().map(Role::wire).toList()));
  }

  private Future<String> deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(deployed::add);
  }

  /**
   * A graceful stop: readiness answers 503 at once, the processors stop claiming and finish (or
   * hand back) what they hold, the sweeps give up their leases, and the HTTP server closes last,
   * after the requests in flight. Each step runs after the one before, whatever it answered.
   */
  public Future<Void> drain() {
    graph.readiness.drain();
    Future<?> chain = Future.succeededFuture();
    for (String id : List.copyOf(deployed)) {
      chain = chain.transform(ar -> vertx.undeploy(id).onComplete(x -> deployed.remove(id)));
    }
    return chain.transform(ar -> Future.succeededFuture());
  }

  /** The HTTP API verticle, once started with the http role (its router, for the OpenAPI test). */
  public ApiVerticle api() {
    if (api == null) throw new IllegalStateException("this process has no http role");
    return api;
  }

  /** The HTTP port: the API's with the http role, else the one answering /health and /metrics. */
  public int httpPort() {
    if (api != null) return api.actualPort();
    if (ops != null) return ops.actualPort();
    throw new IllegalStateException("not started");
  }
}
