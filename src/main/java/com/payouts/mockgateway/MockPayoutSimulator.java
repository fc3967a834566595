package com.payouts.mockgateway;

import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.PaymentInstruction;

import java.util.SplittableRandom;

import com.payouts.domain.GatewayError;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.ReturnCode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides what the mock processor does with one payment. All randomness comes from one seeded
 * generator, so a seed and a call sequence replay exactly. Synchronized because several gateway
 * instances may share one simulator (sharing keeps their transaction ids from repeating).
 */
public final class MockPayoutSimulator {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final GatewayError[] ERRORS = GatewayError.values();

  /** What happens to one payment: the error is null when it succeeds. */
  public record Draw(long delayMs, GatewayError error, BigDecimal fee, String transactionId) {
    public boolean succeeded() {
      return error == null;
    }

    /** The answer for {@code in} when this draw is what its key executed. */
    public GatewayResult toResult(PaymentInstruction in) {
      return succeeded()
          ? GatewayResult.success(in, transactionId, fee)
          : GatewayResult.failure(in, error.code(), error.message(), error.retryable());
    }
  }

  /** Chaos: whether a create call is answered normally, refused unexecuted, or loses its answer. */
  public enum Fault { NONE, FAIL_BEFORE, HANG }

  private final long seed;
  private final Random random;
  private final long delayMinMs;
  private final long delayMaxMs;
  private final Map<PayoutMethod, Double> successRates;
  private final double hangRate;
  private final double failBeforeRate;
  private final double returnRate;
  private static final ReturnCode[] RETURN_CODES = ReturnCode.values();
  /** Keeps the return draw apart from the payment draw of the same key, which it must not change. */
  private static final long RETURN_SALT = 0x5deece66dL;

  public MockPayoutSimulator(MockGatewayConfig config) {
    this.seed = config.seed() != null ? config.seed() : ThreadLocalRandom.current().nextLong();
    this.random = new Random(seed);
    this.delayMinMs = config.delayMinMs();
    this.delayMaxMs = config.delayMaxMs();
    this.successRates = config.successRates();
    this.hangRate = config.hangRate();
    this.failBeforeRate = config.failBeforeRate();
    this.returnRate = config.returns().rate();
  }

  /**
   * Whether the bank will send back what key {@code key} paid, and why: a function of (seed, key)
   * alone, drawn apart from the payment so that a return rate changes no payment's outcome.
   */
  public java.util.Optional<ReturnCode> returnOf(String key) {
    if (returnRate == 0.0) return java.util.Optional.empty();
    SplittableRandom r = new SplittableRandom(seed ^ mix(key) ^ RETURN_SALT);
    if (r.nextDouble() >= returnRate) return java.util.Optional.empty();
    return java.util.Optional.of(RETURN_CODES[r.nextInt(RETURN_CODES.length)]);
  }

  /** The seed in use, worth logging: with it a run can be replayed. */
  public long seed() {
    return seed;
  }

  public synchronized Draw draw(PayoutMethod method, BigDecimal amount, Instant now) {
    long delay = delayMinMs + random.nextLong(delayMaxMs - delayMinMs + 1);
    if (random.nextDouble() < successRates.get(method)) {
      return new Draw(delay, null, method.fee(amount), transactionId(now));
    }
    return new Draw(delay, ERRORS[random.nextInt(ERRORS.length)], method.fee(amount), null);
  }

  /**
   * The draw for one idempotency key: a function of (seed, key) alone, so a run replays the same
   * outcome per payout whatever order requests arrive in, and a restarted gateway with the same
   * seed does not repeat earlier transaction ids for new keys.
   */
  public Draw draw(String key, PayoutMethod method, BigDecimal amount, Instant now) {
    SplittableRandom r = new SplittableRandom(seed ^ mix(key));
    long delay = delayMinMs + r.nextLong(delayMaxMs - delayMinMs + 1);
    if (r.nextDouble() < successRates.get(method)) {
      StringBuilder id = new StringBuilder("po_").append(STAMP.format(now)).append('_');
      for (int i = 0; i < 8; i++) id.append(ID_CHARS.charAt(r.nextInt(ID_CHARS.length())));
      return new Draw(delay, null, method.fee(amount), id.toString());
    }
    return new Draw(delay, ERRORS[r.nextInt(ERRORS.length)], method.fee(amount), null);
  }

  /** FNV-1a then the SplitMix64 finalizer: a well-spread 64-bit hash of the key. */
  static long mix(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  /** Consumes no randomness when both fault rates are 0, so fault-free runs replay the same draws. */
  public synchronized Fault fault() {
    if (hangRate == 0.0 && failBeforeRate == 0.0) return Fault.NONE;
    double r = random.nextDouble();
    if (r < failBeforeRate) return Fault.FAIL_BEFORE;
    return r < failBeforeRate + hangRate ? Fault.HANG : Fault.NONE;
  }

  private String transactionId(Instant now) {
    StringBuilder id = new StringBuilder("po_").append(STAMP.format(now)).append('_');
    for (int i = 0; i < 8; i++) id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
    return id.toString();
  }
}
