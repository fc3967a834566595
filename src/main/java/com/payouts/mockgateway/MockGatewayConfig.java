package com.payouts.mockgateway;

import com.payouts.domain.PayoutMethod;
import java.util.EnumMap;
import java.util.Map;

/**
 * How the mock processor behaves. {@code seed} null means a random seed. The fault knobs are for
 * chaos tests: {@code hangRate} is the fraction of create calls whose answer is lost after the
 * payment was executed and recorded; {@code failBeforeRate} the fraction answered 503 without
 * executing anything. {@code apiKey} is the secret every /v1 call must send as a Bearer token;
 * null means the one generated for the database and stored beside the installation id.
 */
public record MockGatewayConfig(
    int port,
    long delayMinMs,
    long delayMaxMs,
    Long seed,
    Map<PayoutMethod, Double> successRates,
    double hangRate,
    double failBeforeRate,
    String apiKey,
    Returns returns) {

  /**
   * Returns like a bank's: a {@code rate} share of paid executions is sent back {@code delayMs}
   * after it was paid, with a code of the catalogue; each return is an event on the list
   * (GET /v1/events) and, when {@code webhookUrl} is set, posted there signed with {@code webhookSecret}.
   */
  public record Returns(double rate, long delayMs, String webhookUrl, String webhookSecret) {
    public static final Returns NONE = new Returns(0, 0, null, null);

    public Returns {
      requireFraction("return rate", rate);
      if (delayMs < 0) throw new IllegalArgumentException("return delay " + delayMs + " must not be negative");
      if (webhookUrl != null && webhookSecret == null) throw new IllegalArgumentException("a webhook needs its secret");
    }

    @Override
    public String toString() {
      return "Returns[rate=" + rate + ", delayMs=" + delayMs + ", webhookUrl=" + webhookUrl + "]";
    }
  }

  public MockGatewayConfig {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not 0-65535");
    if (delayMinMs < 0 || delayMaxMs < delayMinMs) {
      throw new IllegalArgumentException("delay range " + delayMinMs + "-" + delayMaxMs + " needs 0 <= min <= max");
    }
    successRates = Map.copyOf(successRates);
    for (PayoutMethod m : PayoutMethod.values()) {
      Double rate = successRates.get(m);
      if (rate == null) throw new IllegalArgumentException("no success rate for " + m.wire());
      requireFraction("success rate of " + m.wire(), rate);
    }
    requireFraction("hangRate", hangRate);
    requireFraction("failBeforeRate", failBeforeRate);
    if (hangRate + failBeforeRate > 1.0) {
      throw new IllegalArgumentException("hangRate + failBeforeRate must not exceed 1");
    }
    if (apiKey != null && apiKey.isBlank()) throw new IllegalArgumentException("apiKey must not be blank");
    if (returns == null) returns = Returns.NONE;
  }

  public MockGatewayConfig(int port, long delayMinMs, long delayMaxMs, Long seed, Map<PayoutMethod, Double> successRates,
      double hangRate, double failBeforeRate, String apiKey) {
    this(port, delayMinMs, delayMaxMs, seed, successRates, hangRate, failBeforeRate, apiKey, Returns.NONE);
  }

  public MockGatewayConfig(int port, long delayMinMs, long delayMaxMs, Long seed, Map<PayoutMethod, Double> successRates,
      double hangRate, double failBeforeRate) {
    this(port, delayMinMs, delayMaxMs, seed, successRates, hangRate, failBeforeRate, null);
  }

  /** Without faults: the shape the service's settings produce. */
  public MockGatewayConfig(int port, long delayMinMs, long delayMaxMs, Long seed, Map<PayoutMethod, Double> successRates) {
    this(port, delayMinMs, delayMaxMs, seed, successRates, 0.0, 0.0, null);
  }

  /** Port 8081, 3–10 s per payment, random seed, the processors' usual success rates, no faults. */
  public static MockGatewayConfig defaults() {
    Map<PayoutMethod, Double> rates = new EnumMap<>(PayoutMethod.class);
    rates.put(PayoutMethod.STRIPE_BANK, 0.95);
    rates.put(PayoutMethod.PAYPAL, 0.90);
    rates.put(PayoutMethod.CHECK, 0.98);
    return new MockGatewayConfig(8081, 3000, 10000, null, rates);
  }

  public MockGatewayConfig withPort(int port) {
    return new MockGatewayConfig(port, delayMinMs, delayMaxMs, seed, successRates, hangRate, failBeforeRate, apiKey, returns);
  }

  public MockGatewayConfig withDelay(long minMs, long maxMs) {
    return new MockGatewayConfig(port, minMs, maxMs, seed, successRates, hangRate, failBeforeRate, apiKey, returns);
  }

  public MockGatewayConfig withSeed(Long seed) {
    return new MockGatewayConfig(port, delayMinMs, delayMaxMs, seed, successRates, hangRate, failBeforeRate, apiKey, returns);
  }

  public MockGatewayConfig withFaults(double hangRate, double failBeforeRate) {
    return new MockGatewayConfig(port, delayMinMs, delayMaxMs, seed, successRates, hangRate, failBeforeRate, apiKey, returns);
  }

  public MockGatewayConfig withApiKey(String apiKey) {
    return new MockGatewayConfig(port, delayMinMs, delayMaxMs, seed, successRates, hangRate, failBeforeRate, apiKey, returns);
  }

  public MockGatewayConfig withReturns(Returns r) {
    return new MockGatewayConfig(port, delayMinMs, delayMaxMs, seed, successRates, hangRate, failBeforeRate, apiKey, r);
  }

  /** Without the API key: a config may be logged, the secret may not. */
  @Override
  public String toString() {
    return "MockGatewayConfig[port=" + port + ", delay=" + delayMinMs + "-" + delayMaxMs + "ms, seed=" + seed
        + ", successRates=" + successRates + ", hangRate=" + hangRate + ", failBeforeRate=" + failBeforeRate
        + ", apiKey=" + (apiKey == null ? "generated" : "(set)") + ", returns=" + returns + "]";
  }

  private static void requireFraction(String name, double v) {
    if (!(v >= 0.0 && v <= 1.0)) throw new IllegalArgumentException(name + " " + v + " is not between 0 and 1");
  }
}
