package com.payouts.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a Future from the test thread (never an event loop). */
public final class Await {
  private Await() {}

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  /**
   * Builds {@code chain} on an event loop and hands back its outcome. A raw HttpClient chain built
   * on the test thread races its own events: when a step completes before the test thread has
   * attached the next (a descheduled thread on a busy machine), that next step runs late, on the
   * test thread, and a response's body or chunks that arrived meanwhile are gone (a body() that
   * never completes, a stream handler that never sees the first frames). On the loop, every step is
   * attached before the events it waits for can be delivered.
   */
  public static <T> Future<T> onLoop(Vertx vertx, Supplier<Future<T>> chain) {
    Promise<T> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> chain.get().onComplete(done));
    return done.future();
  }

  public static Throwable failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
    throw new AssertionError("expected a failure, got success");
  }

  /** Polls {@code ok} from the test thread until it holds; fails with {@code what} after {@code within}. */
  public static void eventually(Duration within, BooleanSupplier ok, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) throw new AssertionError("not within " + within + ": " + what);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what, e);
      }
    }
  }

  public static void eventually(BooleanSupplier ok, long withinMs, String what) {
    eventually(Duration.ofMillis(withinMs), ok, what);
  }
}
