package com.payouts.stats;

import io.vertx.core.json.JsonObject;

/**
 * The job queue as the dashboard and {@code GET /api/stats} show it: jobs ready, delayed and in
 * flight (together the depth), dead-lettered, and the age of the oldest ready job.
 */
public record QueueFigures(long ready, long delayed, long inflight, long dead, long oldestJobAgeMs) {

  /** From {@code JobQueue.depth()}'s answer; a figure it left out counts as zero. */
  public static QueueFigures of(JsonObject depth) {
    return new QueueFigures(depth.getLong("ready", 0L), depth.getLong("delayed", 0L), depth.getLong("inflight", 0L),
        depth.getLong("dead", 0L), depth.getLong("oldestReadyAgeMs", 0L));
  }

  /** The jobs not finished yet. */
  public long depth() {
    return ready + delayed + inflight;
  }
}
