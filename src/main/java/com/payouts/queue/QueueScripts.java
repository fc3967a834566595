package com.payouts.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua scripts that move jobs between structures; each runs atomically, so a job is never in
 * two places or none. Only Redis 6.2 commands (the embedded fallback) are used. Every script gets
 * {@link QueueKeys#scriptKeys()} as KEYS and the six common ARGV below, then its own arguments.
 */
final class QueueScripts {

  /**
   * Shared prelude. ARGV: jobPrefix, taskPrefix, livePrefix, now ms ('' = server TIME), task
   * retention ms, dead-letter cap.
   */
  private static final String PRELUDE = """
      local JOB, TASK, LIVE = ARGV[1], ARGV[2], ARGV[3]
      local now = tonumber(ARGV[4])
      if not now then
        local t = redis.call('TIME')
        now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      local RETENTION, DEAD_CAP = tonumber(ARGV[5]), tonumber(ARGV[6])
      local READY = {urgent = KEYS[1], high = KEYS[2], normal = KEYS[3], low = KEYS[4]}
      local BY_RANK = {KEYS[1], KEYS[2], KEYS[3], KEYS[4]}
      local DELAYED, INFLIGHT, DEAD, SEQ = KEYS[5], KEYS[6], KEYS[7], KEYS[8]

      local function task(id, ttl, ...)
        redis.call('HSET', TASK .. id, ...)
        redis.call('PEXPIRE', TASK .. id, ttl)
      end
      local function jobType(id)
        return redis.call('HGET', JOB .. id, 'type') or ''
      end
      local function makeReady(id, priority)
        local key = READY[priority or redis.call('HGET', JOB .. id, 'priority')] or READY.normal
        redis.call('ZADD', key, redis.call('INCR', SEQ), id)
        redis.call('HSET', JOB .. id, 'readyAt', now, 'consumer', '')
      end
      local function held(id, consumer)
        return redis.call('ZSCORE', INFLIGHT, id) and redis.call('HGET', JOB .. id, 'consumer') == consumer
      end
      local function dropLive(id)
        local key = redis.call('HGET', JOB .. id, 'dedupe')
        if key and key ~= '' and redis.call('GET', LIVE .. key) == id then redis.call('DEL', LIVE .. key) end
      end
      local function deadLetter(id, err)
        dropLive(id)
        redis.call('HSET', JOB .. id, 'consumer', '', 'error', err)
        redis.call('ZADD', DEAD, now, id)
        task(id, RETENTION, 'type', jobType(id), 'state', 'dead', 'error', err, 'finishedAt', now,
          'attempts', redis.call('HGET', JOB .. id, 'attempts'))
        local over = redis.call('ZCARD', DEAD) - DEAD_CAP
        if over > 0 then
          for _, old in ipairs(redis.call('ZRANGE', DEAD, 0, over - 1)) do redis.call('DEL', JOB .. old) end
          redis.call('ZREMRANGEBYRANK', DEAD, 0, over - 1)
        end
      end
      local function row(id)
        local f = redis.call('HMGET', JOB .. id, 'type', 'payload', 'priority', 'attempts', 'maxAttempts', 'dueAt')
        return {id, f[1] or '', f[2] or '{}', f[3] or 'normal', f[4] or '0', f[5] or '1', f[6] or ''}
      end
      """;

  /**
   * ARGV 7..: groups of id, type, payload, priority, attempts, maxAttempts, dueAt ms or '', dedupe
   * key or ''. Returns 1 per job written, 0 per job skipped (id present or dedupe key live).
   */
  static final Script ENQUEUE = new Script("enqueue", """
      local out = {}
      for i = 7, #ARGV, 8 do
        local id, due, dedupe = ARGV[i], ARGV[i + 6], ARGV[i + 7]
        local live = dedupe ~= '' and redis.call('GET', LIVE .. dedupe)
        if live and (redis.call('EXISTS', JOB .. live) == 0 or redis.call('ZSCORE', DEAD, live)) then
          live = false -- stale: its job is gone or dead, so it no longer blocks
        end
        if live or redis.call('EXISTS', JOB .. id) == 1 then
          out[#out + 1] = 0
        else
          redis.call('HSET', JOB .. id, 'type', ARGV[i + 1], 'payload', ARGV[i + 2], 'priority', ARGV[i + 3],
            'attempts', ARGV[i + 4], 'maxAttempts', ARGV[i + 5], 'dueAt', due, 'dedupe', dedupe,
            'enqueuedAt', now, 'consumer', '')
          if dedupe ~= '' then redis.call('SET', LIVE .. dedupe, id) end
          local ttl = RETENTION
          if due ~= '' and tonumber(due) > now then
            redis.call('ZADD', DELAYED, due, id)
            ttl = RETENTION + tonumber(due) - now
          else
            makeReady(id, ARGV[i + 3])
          end
          redis.call('DEL', TASK .. id)
          task(id, ttl, 'type', ARGV[i + 1], 'state', 'queued', 'attempts', ARGV[i + 4], 'createdAt', now)
          out[#out + 1] = 1
        end
      end
      return out
      """);

  /**
   * ARGV 7..: consumer, lease ms, max, promote limit. Promotes due delayed jobs first so they
   * compete on priority, then claims by rank and FIFO. Returns job rows.
   */
  static final Script CLAIM = new Script("claim", """
      local consumer, lease, max = ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9])
      for _, id in ipairs(redis.call('ZRANGEBYSCORE', DELAYED, '-inf', now, 'LIMIT', 0, tonumber(ARGV[10]))) do
        redis.call('ZREM', DELAYED, id)
        if redis.call('EXISTS', JOB .. id) == 1 then makeReady(id) end
      end
      local out = {}
      for _, key in ipairs(BY_RANK) do
        if #out >= max then break end
        local popped = redis.call('ZPOPMIN', key, max - #out)
        for i = 1, #popped, 2 do
          local id = popped[i]
          if redis.call('EXISTS', JOB .. id) == 1 then
            local attempts = redis.call('HINCRBY', JOB .. id, 'attempts', 1)
            redis.call('HSET', JOB .. id, 'consumer', consumer)
            redis.call('ZADD', INFLIGHT, now + lease, id)
            task(id, RETENTION, 'type', jobType(id), 'state', 'running', 'attempts', attempts, 'startedAt', now)
            out[#out + 1] = row(id)
          end
        end
      end
      return out
      """);

  /** ARGV 7..: consumer, lease ms, ids. Returns the ids still held and renewed. */
  static final Script RENEW = new Script("renew", """
      local consumer, lease, out = ARGV[7], tonumber(ARGV[8]), {}
      for i = 9, #ARGV do
        if held(ARGV[i], consumer) then
          redis.call('ZADD', INFLIGHT, now + lease, ARGV[i])
          out[#out + 1] = ARGV[i]
        end
      end
      return out
      """);

  /** ARGV 7..: consumer, then pairs of id, result JSON. Returns the ids acked. */
  static final Script ACK = new Script("ack", """
      local consumer, out = ARGV[7], {}
      for i = 8, #ARGV, 2 do
        local id = ARGV[i]
        if held(id, consumer) then
          local f = redis.call('HMGET', JOB .. id, 'type', 'attempts')
          dropLive(id)
          redis.call('ZREM', INFLIGHT, id)
          redis.call('DEL', JOB .. id)
          task(id, RETENTION, 'type', f[1], 'state', 'succeeded', 'attempts', f[2], 'result', ARGV[i + 1],
            'error', '', 'finishedAt', now)
          out[#out + 1] = id
        end
      end
      return out
      """);

  /** ARGV 7..: consumer, id, error, backoff ms. Returns 'retry', 'dead' or 'lost' (not held). */
  static final Script FAIL = new Script("fail", """
      local consumer, id, err, backoff = ARGV[7], ARGV[8], ARGV[9], tonumber(ARGV[10])
      if not held(id, consumer) then return 'lost' end
      redis.call('ZREM', INFLIGHT, id)
      local f = redis.call('HMGET', JOB .. id, 'attempts', 'maxAttempts')
      if tonumber(f[1]) >= tonumber(f[2]) then
        deadLetter(id, err)
        return 'dead'
      end
      redis.call('HSET', JOB .. id, 'consumer', '', 'dueAt', now + backoff, 'error', err)
      redis.call('ZADD', DELAYED, now + backoff, id)
      task(id, RETENTION + backoff, 'type', jobType(id), 'state', 'queued', 'attempts', f[1], 'error', err)
      return 'retry'
      """);

  /**
   * ARGV 7..: consumer, ids. Hands jobs this consumer holds back to the front of the ready queues
   * (a node shutting down), without counting the attempt. Returns how many went back.
   */
  static final Script HAND_BACK = new Script("handBack", """
      local consumer, n = ARGV[7], 0
      for i = 8, #ARGV do
        local id = ARGV[i]
        if held(id, consumer) then
          redis.call('ZREM', INFLIGHT, id)
          local attempts = redis.call('HINCRBY', JOB .. id, 'attempts', -1)
          if attempts < 0 then redis.call('HSET', JOB .. id, 'attempts', 0) end
          local key = READY[redis.call('HGET', JOB .. id, 'priority')] or READY.normal
          redis.call('ZADD', key, 0, id)
          redis.call('HSET', JOB .. id, 'readyAt', now, 'consumer', '')
          task(id, RETENTION, 'type', jobType(id), 'state', 'queued', 'error', 'handed back by ' .. consumer)
          n = n + 1
        end
      end
      return n
      """);

  /** ARGV 7: max. Expired leases go back to ready, or to dead when out of attempts. Returns how many moved. */
  static final Script RECLAIM = new Script("reclaim", """
      local expired = redis.call('ZRANGEBYSCORE', INFLIGHT, '-inf', now, 'LIMIT', 0, tonumber(ARGV[7]))
      for _, id in ipairs(expired) do
        redis.call('ZREM', INFLIGHT, id)
        local f = redis.call('HMGET', JOB .. id, 'attempts', 'maxAttempts', 'consumer')
        local err = 'lease expired (consumer ' .. (f[3] or '?') .. ', attempt ' .. (f[1] or '?') .. ')'
        if not f[1] then
          -- job hash vanished: nothing to redeliver
        elseif tonumber(f[1]) >= tonumber(f[2]) then
          deadLetter(id, err)
        else
          makeReady(id)
          task(id, RETENTION, 'type', jobType(id), 'state', 'queued', 'error', err)
        end
      end
      return #expired
      """);

  /** ARGV 7: limit. Newest dead first. */
  static final Script DEAD_LETTERS = new Script("deadLetters", """
      local out = {}
      for _, id in ipairs(redis.call('ZREVRANGE', DEAD, 0, tonumber(ARGV[7]) - 1)) do out[#out + 1] = row(id) end
      return out
      """);

  /** ARGV 7: id. Returns 1 if it was dead and is ready again. */
  static final Script REQUEUE_DEAD = new Script("requeueDead", """
      local id = ARGV[7]
      if redis.call('ZREM', DEAD, id) == 0 then return 0 end
      if redis.call('EXISTS', JOB .. id) == 0 then return 0 end
      local dedupe = redis.call('HGET', JOB .. id, 'dedupe')
      if dedupe and dedupe ~= '' then redis.call('SET', LIVE .. dedupe, id, 'NX') end
      redis.call('HSET', JOB .. id, 'attempts', 0, 'dueAt', '', 'error', '')
      makeReady(id)
      task(id, RETENTION, 'type', jobType(id), 'state', 'queued', 'attempts', 0, 'finishedAt', '')
      return 1
      """);

  /** ARGV 7: limit. Newest dead first, each row followed by its last error and the time it died (ms). */
  static final Script DEAD_LETTER_DETAILS = new Script("deadLetterDetails", """
      local out = {}
      local ids = redis.call('ZREVRANGE', DEAD, 0, tonumber(ARGV[7]) - 1, 'WITHSCORES')
      for i = 1, #ids, 2 do
        local r = row(ids[i])
        r[#r + 1] = redis.call('HGET', JOB .. ids[i], 'error') or ''
        r[#r + 1] = ids[i + 1]
        out[#out + 1] = r
      end
      return out
      """);

  /** ARGV 7: id. Drops a dead job for good (its task record stays, dead); returns 1 if it was dead. */
  static final Script DELETE_DEAD = new Script("deleteDead", """
      local id = ARGV[7]
      if redis.call('ZREM', DEAD, id) == 0 then return 0 end
      redis.call('DEL', JOB .. id)
      return 1
      """);

  /**
   * Returns urgent, high, normal, low, delayed, inflight, dead counts, the oldest ready age in ms (0
   * if none), then the oldest ready age of urgent, high, normal and low.
   */
  static final Script DEPTH = new Script("depth", """
      local out, oldest, ages = {}, nil, {}
      for _, key in ipairs(BY_RANK) do
        out[#out + 1] = redis.call('ZCARD', key)
        local head = redis.call('ZRANGE', key, 0, 0)[1]
        local at = head and tonumber(redis.call('HGET', JOB .. head, 'readyAt'))
        if at and (not oldest or at < oldest) then oldest = at end
        ages[#ages + 1] = at and math.max(0, now - at) or 0
      end
      out[5], out[6], out[7] = redis.call('ZCARD', DELAYED), redis.call('ZCARD', INFLIGHT), redis.call('ZCARD', DEAD)
      out[8] = oldest and math.max(0, now - oldest) or 0
      for i = 1, 4 do out[8 + i] = ages[i] end
      return out
      """);

  /** ARGV 7..: id, type, state, result JSON or ''. For tasks done outside the queue. */
  static final Script RECORD_TASK = new Script("recordTask", """
      local id, state = ARGV[7], ARGV[9]
      redis.call('HSETNX', TASK .. id, 'createdAt', now)
      task(id, RETENTION, 'type', ARGV[8], 'state', state, 'result', ARGV[10])
      if state == 'running' then redis.call('HSET', TASK .. id, 'startedAt', now) end
      if state == 'succeeded' or state == 'failed' or state == 'dead' then
        redis.call('HSET', TASK .. id, 'finishedAt', now)
      end
      return 1
      """);

  static final List<Script> ALL = List.of(ENQUEUE, CLAIM, RENEW, ACK, FAIL, HAND_BACK, RECLAIM, DEAD_LETTERS,
      REQUEUE_DEAD, DEPTH, RECORD_TASK, DEAD_LETTER_DETAILS, DELETE_DEAD);

  /** A script with its SHA-1 computed locally, so EVALSHA needs no SCRIPT LOAD round trip first. */
  record Script(String name, String source, String sha) {
    Script(String name, String body) {
      this(name, PRELUDE + body, sha1(PRELUDE + body));
    }

    /** EVALSHA, falling back to EVAL (which also caches it) after a restart or SCRIPT FLUSH. */
    Future<Response> run(Redis redis, List<String> keys, List<String> args) {
      return redis.send(request(Command.EVALSHA, sha, keys, args))
          .recover(err -> err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")
              ? redis.send(request(Command.EVAL, source, keys, args))
              : Future.failedFuture(err));
    }

    Future<Void> load(Redis redis) {
      return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source)).mapEmpty();
    }

    private static Request request(Command cmd, String script, List<String> keys, List<String> args) {
      Request req = Request.cmd(cmd).arg(script).arg(keys.size());
      keys.forEach(req::arg);
      args.forEach(req::arg);
      return req;
    }

    private static String sha1(String text) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is missing from this JVM", e);
      }
    }
  }

  private QueueScripts() {}
}
