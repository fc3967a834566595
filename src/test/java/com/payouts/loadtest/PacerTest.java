package com.payouts.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The load test's request pacing, with timers standing in for requests (no network). */
@ExtendWith(VertxExtension.class)
class PacerTest {
  private int inFlight;
  private int maxInFlight;
  private int finished;

  @Test
  void neverRunsMoreThanTheConcurrencyAndRunsEveryTaskOnceWhateverItsOutcome(Vertx vertx, VertxTestContext ctx) {
    boolean[] ran = new boolean[50];
    vertx.runOnContext(v -> Pacer.run(vertx, 50, 4, 0, far(), i -> {
          ran[i] = true;
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          Future<Void> f = vertx.timer(2).mapEmpty();
          if (i % 7 == 0) f = f.compose(x -> Future.failedFuture("task " + i + " fails"));
          return f.onComplete(ar -> {
            inFlight--;
            finished++;
          });
        })
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          assertEquals(50, finished);
          assertEquals(4, maxInFlight);
          for (boolean r : ran) assertTrue(r);
          ctx.completeNow();
        }))));
  }

  @Test
  void tasksThatFinishAtOnceDoNotDeepenTheStack(Vertx vertx, VertxTestContext ctx) {
    int[] ran = new int[1];
    vertx.runOnContext(v -> Pacer.run(vertx, 200_000, 8, 0, far(), i -> {
          ran[0]++;
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          assertEquals(200_000, ran[0]);
          ctx.completeNow();
        }))));
  }

  @Test
  void keepsToTheRate(Vertx vertx, VertxTestContext ctx) {
    long start = System.nanoTime();
    vertx.runOnContext(v -> Pacer.run(vertx, 21, 64, 100, far(), i -> Future.succeededFuture())
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          assertTrue(ms >= 195, "21 tasks at 100/s took only " + ms + " ms");
          ctx.completeNow();
        }))));
  }

  @Test
  void startsNothingPastTheDeadline(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext(v -> Pacer.run(vertx, 1000, 4, 0, System.nanoTime() - 1, i -> {
          finished++;
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          assertEquals(0, finished);
          ctx.completeNow();
        }))));
  }

  private static long far() {
    return System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
  }
}
