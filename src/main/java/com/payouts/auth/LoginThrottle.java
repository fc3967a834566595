package com.payouts.auth;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.Locale;

/**
 * Failed sign-ins, counted in Redis so that every node sees the same counts. Two counters: one per
 * email and client address together, and a looser one per client address (password spraying across
 * emails). Wrong passwords from one address therefore slow down that address only, never the same
 * email from anywhere else: a stranger cannot lock the admin out. Each counter lets a few failures
 * through freely, then asks for a delay that doubles with every further failure, up to a cap; it is
 * forgotten a while after its last attempt (keys expire).
 *
 * <p>An attempt is counted before the password is checked, atomically in one script, so a burst of
 * parallel guesses cannot slip past; a success clears the pair and takes the attempt back from the
 * address, and an attempt that tested no password (the database was down) is taken back from both.
 * When Redis cannot be reached the attempt fails (the caller answers 503): we refuse to check
 * passwords unthrottled rather than let an outage open the door to guessing.
 */
public final class LoginThrottle {
  /** Free failures per email and address, then per address; the first delay, its cap, and how long a quiet counter lasts. */
  public record Limits(int freePerPair, int freePerAddress, Duration firstDelay, Duration maxDelay, Duration memory) {
    public static final Limits DEFAULT = new Limits(5, 30, Duration.ofSeconds(10), Duration.ofMinutes(15),
        Duration.ofMinutes(15));
  }

  /** The attempt as counted, to hand back with its outcome. */
  public record Ticket(String pairKey, String addressKey) {}

  /** Thrown when an attempt must wait; says how long. */
  public static final class Blocked extends RuntimeException {
    private final long retryAfterSeconds;

    Blocked(long retryAfterSeconds) {
      super("too many failed sign-in attempts; try again in " + retryAfterSeconds + " seconds");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /**
   * KEYS: pair, address. ARGV: free per pair, free per address, first delay ms, max delay ms,
   * memory ms. Each key is a hash {n: attempts counted, t: ms of the last}. Returns the ms to wait
   * (0: counted). Time is Redis's own, so nodes with skewed clocks agree.
   */
  private static final String ACQUIRE = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local first, cap, memory = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
      local function delay(n, free)
        if n < free then return 0 end
        return math.floor(math.min(cap, first * 2 ^ math.min(n - free, 30)))
      end
      local wait = 0
      local counts = {}
      for i, key in ipairs(KEYS) do
        local v = redis.call('HMGET', key, 'n', 't')
        local n, last = tonumber(v[1] or '0'), tonumber(v[2] or '0')
        counts[i] = n
        local w = 0
        if n > 0 then w = last + delay(n, tonumber(ARGV[i])) - now end
        if w > wait then wait = w end
      end
      if wait > 0 then return wait end
      for i, key in ipairs(KEYS) do
        redis.call('HSET', key, 'n', counts[i] + 1, 't', now)
        redis.call('PEXPIRE', key, memory + delay(counts[i] + 1, tonumber(ARGV[i])))
      end
      return 0""";

  /** KEYS: the counters to take one attempt back from. */
  private static final String TAKE_BACK = """
      for _, key in ipairs(KEYS) do
        if tonumber(redis.call('HGET', key, 'n') or '0') > 0 then redis.call('HINCRBY', key, 'n', -1) end
      end
      return 0""";

  private final Redis redis;
  private final String prefix;
  private final Limits limits;

  /** {@code prefix}: where its keys live, e.g. "payouts:login:". */
  public LoginThrottle(Redis redis, String prefix, Limits limits) {
    this.redis = redis;
    this.prefix = prefix;
    this.limits = limits;
  }

  public LoginThrottle(Redis redis, String prefix) {
    this(redis, prefix, Limits.DEFAULT);
  }

  /** Counts an attempt, or fails with {@link Blocked}; fails otherwise when Redis does. */
  public Future<Ticket> acquire(String email, String clientAddress) {
    // The email is hashed: keys stay short whatever was typed, and hold no address book. IPv6
    // clients count by /64, or one host could use a fresh address for every guess.
    String address = ClientAddresses.limitKey(clientAddress);
    Ticket ticket = new Ticket(prefix + "pair:" + Secrets.sha256Hex(email.toLowerCase(Locale.ROOT)) + ":" + address,
        prefix + "addr:" + address);
    Request eval = Request.cmd(Command.EVAL).arg(ACQUIRE).arg(2).arg(ticket.pairKey()).arg(ticket.addressKey())
        .arg(limits.freePerPair()).arg(limits.freePerAddress()).arg(limits.firstDelay().toMillis())
        .arg(limits.maxDelay().toMillis()).arg(limits.memory().toMillis());
    return redis.send(eval).compose(wait -> {
      long ms = wait == null ? 0 : wait.toLong();
      return ms <= 0 ? Future.succeededFuture(ticket) : Future.failedFuture(new Blocked(Math.max(1, (ms + 999) / 1000)));
    });
  }

  /** A right password: the pair starts over, and the address gets this attempt back. */
  public Future<Void> succeeded(Ticket t) {
    return redis.send(Request.cmd(Command.DEL).arg(t.pairKey()))
        .compose(r -> run(TAKE_BACK, t.addressKey()));
  }

  /** The attempt did not test a password: it does not count. */
  public Future<Void> release(Ticket t) {
    return run(TAKE_BACK, t.pairKey(), t.addressKey());
  }

  private Future<Void> run(String script, String... keys) {
    Request eval = Request.cmd(Command.EVAL).arg(script).arg(keys.length);
    for (String k : keys) eval.arg(k);
    return redis.send(eval).<Response>map(r -> r).mapEmpty();
  }
}
