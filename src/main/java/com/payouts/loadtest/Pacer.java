package com.payouts.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.IntFunction;

/**
 * Starts tasks 0..count-1 with at most {@code concurrency} in flight and, when {@code perSecond} is
 * above zero, no faster than that rate. It stops starting new ones at the deadline. The returned
 * future succeeds once every started task has finished, whatever each task's outcome: tasks count
 * their own failures. Meant to be called on one Vert.x context, where all its callbacks run.
 */
public final class Pacer {
  private final Vertx vertx;
  private final int count;
  private final int concurrency;
  private final double perSecond;
  private final long deadlineNanos;
  private final IntFunction<Future<?>> task;
  private final Promise<Void> done = Promise.promise();
  private final long startNanos = System.nanoTime();
  private int next;
  private int inFlight;
  private boolean timerSet;
  private boolean pumping;
  private boolean again;

  private Pacer(Vertx vertx, int count, int concurrency, double perSecond, long deadlineNanos,
      IntFunction<Future<?>> task) {
    this.vertx = vertx;
    this.count = count;
    this.concurrency = Math.max(1, concurrency);
    this.perSecond = perSecond;
    this.deadlineNanos = deadlineNanos;
    this.task = task;
  }

  public static Future<Void> run(Vertx vertx, int count, int concurrency, double perSecond, long deadlineNanos,
      IntFunction<Future<?>> task) {
    Pacer pacer = new Pacer(vertx, count, concurrency, perSecond, deadlineNanos, task);
    pacer.pump();
    return pacer.done.future();
  }

  /** Re-entrant calls (a task that completes at once) only ask for another pass, so the stack stays flat. */
  private void pump() {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        startWhatMayStart();
      } while (again);
    } finally {
      pumping = false;
    }
    boolean stopped = next == count || System.nanoTime() - deadlineNanos >= 0;
    if (stopped && inFlight == 0 && !timerSet) done.tryComplete();
  }

  private void startWhatMayStart() {
    while (inFlight < concurrency && next < count) {
      long now = System.nanoTime();
      if (now - deadlineNanos >= 0) return;
      if (perSecond > 0) {
        long due = startNanos + (long) (next * 1e9 / perSecond);
        if (due - now > 0) {
          if (!timerSet) {
            timerSet = true;
            vertx.setTimer(Math.max(1, (due - now) / 1_000_000), id -> {
              timerSet = false;
              pump();
            });
          }
          return;
        }
      }
      int i = next++;
      inFlight++;
      Future<?> f;
      try {
        f = task.apply(i);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        inFlight--;
        pump();
      });
    }
  }
}
