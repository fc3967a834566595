package com.payouts.app;

import com.payouts.http.ApiVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deploys the service's verticles in order over one {@link Infrastructure}. */
public class MainVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private final Infrastructure infra;
  private ApiVerticle api;

  public MainVerticle(Infrastructure infra) {
    this.infra = infra;
  }

  @Override
  public Future<?> start() {
    Map<String, Supplier<Future<?>>> health = new LinkedHashMap<>();
    health.put("postgres", infra::pingPostgres);
    health.put("redis", infra::pingRedis);
    api = new ApiVerticle(infra.settings.httpPort(), infra.payouts, infra.accounts, health);
    return vertx.deployVerticle(api)
        .onSuccess(id -> log.info("HTTP API listening on port {}", api.actualPort()));
  }

  public int httpPort() {
    return api.actualPort();
  }
}
