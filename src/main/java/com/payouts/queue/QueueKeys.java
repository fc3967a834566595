package com.payouts.queue;

import com.payouts.domain.Priority;
import java.util.List;

/**
 * Every Redis key of one queue, derived from a prefix. Per-job keys are built inside the Lua
 * scripts from the {@code *Prefix()} values passed as arguments, so the names live only here.
 *
 * <p>Redis Cluster ready: the prefix is made a hash tag ("payouts:" becomes "{payouts:}"), so every
 * key of one queue, declared (the scripts' KEYS: the ready, delayed, inflight and dead sets and
 * the sequence) or built from a declared prefix (a job's, a task's, a dedupe key), hashes to the
 * same slot and every script runs on one node. A prefix that already holds a hash tag is kept.
 */
public record QueueKeys(String prefix) {
  public static final String DEFAULT_PREFIX = "payouts:q:";

  public QueueKeys {
    if (prefix == null || prefix.isEmpty()) throw new IllegalArgumentException("key prefix is empty");
    if (!hasHashTag(prefix)) prefix = "{" + prefix + "}";
  }

  /** Redis Cluster hashes only what stands between the first '{' and the next '}', when not empty. */
  static boolean hasHashTag(String key) {
    int open = key.indexOf('{');
    if (open < 0) return false;
    int close = key.indexOf('}', open + 1);
    return close > open + 1;
  }

  /** Sorted set of ready job ids scored by enqueue sequence (FIFO). */
  public String ready(Priority p) {
    return prefix + "ready:" + p.wire();
  }

  /** Sorted set of job ids scored by due time in epoch ms. */
  public String delayed() {
    return prefix + "delayed";
  }

  /** Sorted set of claimed job ids scored by lease expiry in epoch ms. */
  public String inflight() {
    return prefix + "inflight";
  }

  /** Sorted set of dead-lettered job ids scored by the time they died. */
  public String dead() {
    return prefix + "dead";
  }

  /** Counter giving ready jobs their FIFO score. */
  public String sequence() {
    return prefix + "seq";
  }

  public String jobPrefix() {
    return prefix + "job:";
  }

  public String taskPrefix() {
    return prefix + "task:";
  }

  public String livePrefix() {
    return prefix + "live:";
  }

  public String job(String id) {
    return jobPrefix() + id;
  }

  public String task(String id) {
    return taskPrefix() + id;
  }

  public String live(String dedupeKey) {
    return livePrefix() + dedupeKey;
  }

  /** The KEYS every script receives, in the order the Lua prelude expects. */
  public List<String> scriptKeys() {
    return List.of(ready(Priority.URGENT), ready(Priority.HIGH), ready(Priority.NORMAL),
        ready(Priority.LOW), delayed(), inflight(), dead(), sequence());
  }
}
