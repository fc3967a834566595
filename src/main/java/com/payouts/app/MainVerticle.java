package com.payouts.app;

import com.payouts.db.IdempotencyRepository;
import com.payouts.db.StatsRepository;
import com.payouts.http.ApiVerticle;
import com.payouts.processor.JobRunner;
import com.payouts.processor.ProcessorVerticle;
import com.payouts.retry.RecoverySweep;
import com.payouts.retry.RetrySchedulerVerticle;
import com.payouts.stats.StatsAggregatorVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
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
    Settings s = infra.settings;
    Map<String, Supplier<Future<?>>> health = new LinkedHashMap<>();
    health.put("postgres", infra::pingPostgres);
    health.put("redis", infra::pingRedis);
    api = new ApiVerticle(s.httpPort(),
        new ApiVerticle.Services(infra.payouts, infra.accounts, infra.dispatcher, infra.queue, infra.auth, infra.pool, health),
        s.idempotencyTtl(), s.httpEdge());
    // An unknown gateway outcome is looked up again after the gateway's own timeout has passed.
    Duration recheck = s.gatewayTimeout().plusSeconds(1);
    Future<?> processors = Future.succeededFuture();
    for (int i = 0; i < s.processorInstances(); i++) {
      JobRunner runner = new JobRunner(infra.payouts, infra.queue, "processor", recheck);
      processors = processors.compose(v -> vertx.deployVerticle(
          new ProcessorVerticle(infra.queue, runner, s.processorConcurrency(), s.lease())));
    }
    RecoverySweep recovery = new RecoverySweep(infra.payouts.repository(), infra.queue, s.lease());
    return processors
        .compose(v -> vertx.deployVerticle(new RetrySchedulerVerticle(infra.queue, recovery, s.retrySweepInterval(), s.lease(),
            new IdempotencyRepository(infra.pool))))
        .compose(v -> vertx.deployVerticle(new StatsAggregatorVerticle(new StatsRepository(infra.pool), infra.queue)))
        .compose(v -> vertx.deployVerticle(api))
        .onSuccess(id -> log.info("HTTP API listening on port {}", api.actualPort()));
  }

  public int httpPort() {
    return api.actualPort();
  }
}
