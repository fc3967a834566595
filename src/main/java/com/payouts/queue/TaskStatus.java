package com.payouts.queue;

import java.util.Locale;

/**
 * Where a task is: queued (waiting, or delayed, or back after a failed attempt), running, and then
 * succeeded, failed or dead (out of attempts). The wire names are the {@code state} of a task as
 * the queue's scripts write it and {@code GET /api/tasks/{id}} shows it.
 */
public enum TaskStatus {
  QUEUED, RUNNING, SUCCEEDED, FAILED, DEAD;

  /** The name on the wire and in the database, made once (a parse compares it with each value). */
  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static TaskStatus parse(String s) {
    for (TaskStatus t : values()) {
      if (t.wire().equals(s)) return t;
    }
    throw new IllegalArgumentException("unknown task state '" + s + "'");
  }
}
