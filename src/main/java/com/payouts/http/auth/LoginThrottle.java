package com.payouts.http.auth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed sign-ins per email and per client IP in a sliding window, in memory. An attempt is counted
 * before the password is checked (so a burst of parallel guesses cannot slip past the limit) and
 * taken back when it succeeds or fails for a reason other than bad credentials.
 *
 * <p>Bound: at most {@link #MAX_KEYS} keys (emails and IPs), least recently used evicted, each with
 * at most its limit of timestamps: well under a few megabytes. Eviction means an attacker who
 * controls very many IPs could flush an email's count; per-process only, so N instances allow N
 * times the limit.
 */
public final class LoginThrottle {
  public static final int MAX_KEYS = 10_000;

  private final int perEmail;
  private final int perIp;
  private final long windowMillis;
  private final LongSupplier clock;
  private final Map<String, ArrayDeque<Long>> attempts = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
      return size() > MAX_KEYS;
    }
  };

  /** 5 failures per email, 20 per IP, in 15 minutes. */
  public LoginThrottle() {
    this(5, 20, Duration.ofMinutes(15), System::currentTimeMillis);
  }

  public LoginThrottle(int perEmail, int perIp, Duration window, LongSupplier clockMillis) {
    this.perEmail = perEmail;
    this.perIp = perIp;
    this.windowMillis = window.toMillis();
    this.clock = clockMillis;
  }

  /** Thrown when the limit is reached; says how long until the oldest counted failure ages out. */
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

  /** Counts an attempt and returns its ticket, or throws {@link Blocked}. */
  public synchronized long acquire(String email, String ip) {
    long now = clock.getAsLong();
    ArrayDeque<Long> byEmail = window(emailKey(email), now);
    ArrayDeque<Long> byIp = window(ipKey(ip), now);
    long wait = Math.max(waitMillis(byEmail, perEmail, now), waitMillis(byIp, perIp, now));
    if (wait > 0) throw new Blocked(Math.max(1, (wait + 999) / 1000));
    byEmail.addLast(now);
    byIp.addLast(now);
    return now;
  }

  /** A successful sign-in clears the email's failures and takes back this attempt for the IP. */
  public synchronized void succeeded(String email, String ip, long ticket) {
    attempts.remove(emailKey(email));
    takeBack(ipKey(ip), ticket);
  }

  /** The attempt did not test a password (e.g. the database was down): it does not count. */
  public synchronized void release(String email, String ip, long ticket) {
    takeBack(emailKey(email), ticket);
    takeBack(ipKey(ip), ticket);
  }

  private ArrayDeque<Long> window(String key, long now) {
    ArrayDeque<Long> q = attempts.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!q.isEmpty() && q.peekFirst() <= now - windowMillis) q.pollFirst();
    return q;
  }

  private long waitMillis(ArrayDeque<Long> q, int limit, long now) {
    return q.size() < limit ? 0 : q.peekFirst() + windowMillis - now;
  }

  private void takeBack(String key, long ticket) {
    ArrayDeque<Long> q = attempts.get(key);
    if (q != null) q.removeLastOccurrence(ticket);
  }

  private static String emailKey(String email) {
    return "email:" + email.toLowerCase(Locale.ROOT);
  }

  private static String ipKey(String ip) {
    return "ip:" + ip;
  }
}
