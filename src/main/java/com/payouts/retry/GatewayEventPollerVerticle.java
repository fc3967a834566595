package com.payouts.retry;

import com.payouts.service.GatewayEventIntake;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the gateway's event list every {@code interval} (a pass starts an interval after the last one ended). */
public class GatewayEventPollerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(GatewayEventPollerVerticle.class);

  private final GatewayEventIntake intake;
  private final Duration interval;
  private long timer = -1;
  private boolean stopping;

  public GatewayEventPollerVerticle(GatewayEventIntake intake, Duration interval) {
    this.intake = intake;
    this.interval = interval;
  }

  @Override
  public Future<?> start() {
    next();
    return Future.succeededFuture();
  }

  private void next() {
    if (stopping) return;
    timer = vertx.setTimer(interval.toMillis(), t -> intake.poll()
        .onSuccess(p -> { if (p.returned() > 0) log.info("the gateway's event list returned {} payouts", p.returned()); })
        .onFailure(err -> log.warn("could not read the gateway's event list: {}", err.toString()))
        .onComplete(ar -> next()));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
