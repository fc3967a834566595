package com.payouts.app;

import com.payouts.http.ApiVerticle;
import com.payouts.processor.ProcessorVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the verticles of a process's roles over one {@link ServiceGraph}, in order: processors,
 * then the retry scheduler, the stats aggregator, and last the HTTP API, so nothing is served before
 * what it relies on runs. Undeploying it undeploys them.
 */
public class MainVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private final ServiceGraph graph;
  private final Set<Role> roles;
  private ApiVerticle api;

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
    Future<?> chain = Future.succeededFuture();
    if (roles.contains(Role.PROCESSOR)) {
      for (ProcessorVerticle p : graph.processorVerticles()) chain = chain.compose(v -> vertx.deployVerticle(p));
    }
    if (roles.contains(Role.RETRY)) {
      chain = chain.compose(v -> vertx.deployVerticle(graph.retrySchedulerVerticle()))
          .compose(v -> vertx.deployVerticle(graph.gatewayEventPollerVerticle()));
    }
    if (roles.contains(Role.STATS)) chain = chain.compose(v -> vertx.deployVerticle(graph.statsAggregatorVerticle()));
    if (roles.contains(Role.HTTP)) {
      api = graph.apiVerticle();
      chain = chain.compose(v -> vertx.deployVerticle(api))
          .onSuccess(id -> log.info("HTTP API listening on port {}", api.actualPort()));
    }
    return chain.onSuccess(v -> log.info("running roles {}", roles.stream().map(Role::wire).toList()));
  }

  /** The HTTP API verticle, once started with the http role (its router, for the OpenAPI test). */
  public ApiVerticle api() {
    if (api == null) throw new IllegalStateException("this process has no http role");
    return api;
  }

  /** The HTTP API's port, once started with the http role. */
  public int httpPort() {
    if (api == null) throw new IllegalStateException("this process has no http role");
    return api.actualPort();
  }
}
