package com.payouts.app;

import static com.payouts.app.ConfigKeys.*;

import com.payouts.db.PgUri;
import com.payouts.domain.ApprovalPolicy;
import com.payouts.domain.Durations;
import com.payouts.domain.VelocityLimits;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.RetryPolicy;
import com.payouts.http.HttpEdge;
import com.payouts.http.TrustedProxies;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The service's configuration, validated once: defaults, then environment variables, then an
 * optional JSON file named by PAYOUTS_CONFIG. A bad value fails with a message naming the setting.
 * {@code gatewayApiKey} null means the key generated for the database (see
 * {@link ConfigKeys#GATEWAY_API_KEY}); it is never printed.
 */
public record Settings(
    int httpPort,
    String pgUrl,
    int pgPoolSize,
    String redisUrl,
    long gatewayDelayMinMs,
    long gatewayDelayMaxMs,
    Long gatewaySeed,
    int gatewayPort,
    String gatewayUrl,
    Duration gatewayTimeout,
    Map<PayoutMethod, Double> gatewaySuccessRates,
    String gatewayApiKey,
    double gatewayHangRate,
    double gatewayFailRate,
    String adminEmail,
    String adminPassword,
    int processorConcurrency,
    int processorInstances,
    RetryPolicy retryPolicy,
    Duration retrySweepInterval,
    Duration lease,
    Duration idempotencyTtl,
    String dataDir,
    HttpEdge httpEdge,
    boolean secureCookies,
    ApprovalPolicy approvalPolicy,
    VelocityLimits velocityLimits,
    ReturnSettings returns) {

  public static final class InvalidSetting extends IllegalArgumentException {
    public InvalidSetting(String key, Object value, String why) {
      super("invalid setting " + key + "=" + value + ": " + why);
    }
  }

  public static JsonObject defaults() {
    return new JsonObject()
        .put(HTTP_PORT, "8080")
        .put(PG_POOL_SIZE, "8")
        .put(GATEWAY_DELAY_MS, "3000-10000")
        .put(GATEWAY_PORT, "8081")
        .put(GATEWAY_TIMEOUT, "30s")
        .put(GATEWAY_SUCCESS_RATES, "stripe_bank=0.95,paypal=0.90,check=0.98")
        .put(GATEWAY_HANG_RATE, "0")
        .put(GATEWAY_FAIL_RATE, "0")
        .put(ADMIN_EMAIL, "admin@example.com")
        .put(PROCESSOR_CONCURRENCY, "2000")
        .put(PROCESSOR_INSTANCES, "2")
        .put(RETRY_DELAYS, "1h,24h,7d")
        .put(RETRY_SWEEP_INTERVAL, "1h")
        .put(LEASE, "60s")
        .put(IDEMPOTENCY_TTL, "24h")
        .put(DATA_DIR, "data")
        .put(HTTP_IDLE_TIMEOUT, "60s")
        .put(HTTP_HEADER_TIMEOUT, "10s")
        .put(HTTP_BODY_TIMEOUT, "15s")
        .put(HTTP_MAX_CONNECTIONS_PER_CLIENT, "256")
        .put(BRIDGE_MAX_SOCKETS_PER_SESSION, "8")
        .put(TRUSTED_PROXIES, "")
        .put(SECURE_COOKIES, "false")
        .put(APPROVAL_POLICY, "")
        .put(VELOCITY_LIMITS, "")
        .put(GATEWAY_RETURN_RATE, "0")
        .put(GATEWAY_RETURN_DELAY, "2m")
        .put(GATEWAY_WEBHOOK_TOLERANCE, "5m")
        .put(GATEWAY_EVENTS_POLL, "30s");
  }

  /** Defaults, then the environment, then the JSON file it names (if any). */
  public static JsonObject load(Map<String, String> env) {
    JsonObject merged = defaults();
    for (String[] keys : new String[][] {ALL, NODE}) {
      for (String key : keys) {
        if (env.containsKey(key) && !env.get(key).isBlank()) merged.put(key, env.get(key));
      }
    }
    String file = env.get(CONFIG_FILE);
    if (file != null && !file.isBlank()) {
      try {
        merged.mergeIn(new JsonObject(Files.readString(Path.of(file))));
      } catch (Exception e) {
        throw new InvalidSetting(CONFIG_FILE, file, "cannot read it as a JSON object (" + e.getMessage() + ")");
      }
    }
    return merged;
  }

  public static Settings from(JsonObject c) {
    long[] delay = delayRange(c);
    String pg = optional(c, PG_URL);
    if (pg != null) {
      try {
        PgUri.parse(pg);
      } catch (IllegalArgumentException e) {
        throw new InvalidSetting(PG_URL, pg, e.getMessage());
      }
    }
    String redis = optional(c, REDIS_URL);
    if (redis != null && !(redis.startsWith("redis://") || redis.startsWith("rediss://"))) {
      throw new InvalidSetting(REDIS_URL, redis, "must start with redis://");
    }
    String gatewayUrl = optional(c, GATEWAY_URL);
    if (gatewayUrl != null) {
      try {
        URI u = URI.create(gatewayUrl);
        if (u.getHost() == null || !u.getScheme().startsWith("http")) throw new IllegalArgumentException();
      } catch (RuntimeException e) {
        throw new InvalidSetting(GATEWAY_URL, gatewayUrl, "must be an http:// or https:// URL");
      }
    }
    String seed = optional(c, GATEWAY_SEED);
    Long gatewaySeed = null;
    if (seed != null) {
      try {
        gatewaySeed = Long.parseLong(seed);
      } catch (NumberFormatException e) {
        throw new InvalidSetting(GATEWAY_SEED, seed, "must be a whole number");
      }
    }
    String apiKey = optional(c, GATEWAY_API_KEY);
    if (apiKey != null && !apiKey.matches("[\\x21-\\x7e]{16,512}")) {
      throw new InvalidSetting(GATEWAY_API_KEY, "(hidden)", "must be 16 to 512 printable characters without spaces");
    }
    String admin = c.getValue(ADMIN_EMAIL).toString();
    if (!admin.contains("@")) throw new InvalidSetting(ADMIN_EMAIL, admin, "must be an email address");
    RetryPolicy retry;
    try {
      retry = RetryPolicy.parse(c.getValue(RETRY_DELAYS).toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting(RETRY_DELAYS, c.getValue(RETRY_DELAYS), e.getMessage());
    }
    return new Settings(
        port(c, HTTP_PORT),
        pg,
        intIn(c, PG_POOL_SIZE, 1, 200),
        redis,
        delay[0],
        delay[1],
        gatewaySeed,
        port(c, GATEWAY_PORT),
        gatewayUrl,
        duration(c, GATEWAY_TIMEOUT),
        successRates(c),
        apiKey,
        fraction(c, GATEWAY_HANG_RATE),
        fraction(c, GATEWAY_FAIL_RATE),
        admin,
        optional(c, ADMIN_PASSWORD),
        intIn(c, PROCESSOR_CONCURRENCY, 1, 100_000),
        intIn(c, PROCESSOR_INSTANCES, 1, 64),
        retry,
        duration(c, RETRY_SWEEP_INTERVAL),
        duration(c, LEASE),
        idempotencyTtl(c),
        c.getValue(DATA_DIR).toString(),
        httpEdge(c),
        bool(c, SECURE_COOKIES),
        approvalPolicy(c),
        velocityLimits(c),
        returns(c));
  }

  private static ReturnSettings returns(JsonObject c) {
    String secret = optional(c, GATEWAY_WEBHOOK_SECRET);
    if (secret != null && !secret.matches("[\\x21-\\x7e]{16,512}")) {
      throw new InvalidSetting(GATEWAY_WEBHOOK_SECRET, "(hidden)", "must be 16 to 512 printable characters without spaces");
    }
    String url = optional(c, GATEWAY_WEBHOOK_URL);
    if (url != null) {
      try {
        URI u = URI.create(url);
        if (u.getHost() == null || !u.getScheme().startsWith("http")) throw new IllegalArgumentException();
      } catch (RuntimeException e) {
        throw new InvalidSetting(GATEWAY_WEBHOOK_URL, url, "must be an http:// or https:// URL");
      }
    }
    Duration delay = duration(c, GATEWAY_RETURN_DELAY);
    if (delay.isNegative()) throw new InvalidSetting(GATEWAY_RETURN_DELAY, c.getValue(GATEWAY_RETURN_DELAY), "must not be negative");
    return new ReturnSettings(fraction(c, GATEWAY_RETURN_RATE), delay, secret, url,
        positive(c, GATEWAY_WEBHOOK_TOLERANCE), positive(c, GATEWAY_EVENTS_POLL));
  }

  private static HttpEdge httpEdge(JsonObject c) {
    TrustedProxies proxies;
    Object spec = c.getValue(TRUSTED_PROXIES);
    try {
      proxies = TrustedProxies.parse(spec == null ? null : spec.toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting(TRUSTED_PROXIES, spec, e.getMessage() + " (a comma list of IP addresses and CIDR ranges)");
    }
    return new HttpEdge(positive(c, HTTP_IDLE_TIMEOUT), positive(c, HTTP_HEADER_TIMEOUT), positive(c, HTTP_BODY_TIMEOUT),
        intIn(c, HTTP_MAX_CONNECTIONS_PER_CLIENT, 1, 100_000), intIn(c, BRIDGE_MAX_SOCKETS_PER_SESSION, 1, 1_000),
        proxies);
  }

  private static Duration positive(JsonObject c, String key) {
    Duration d = duration(c, key);
    if (d.isZero() || d.isNegative()) throw new InvalidSetting(key, c.getValue(key), "must be longer than zero");
    return d;
  }

  private static boolean bool(JsonObject c, String key) {
    String v = String.valueOf(c.getValue(key)).trim().toLowerCase(java.util.Locale.ROOT);
    if (v.equals("true")) return true;
    if (v.equals("false")) return false;
    throw new InvalidSetting(key, c.getValue(key), "must be true or false");
  }

  /** The same settings with these Postgres and Redis URLs (the embedded servers'). */
  public Settings withServers(String pg, String redis) {
    return new Settings(httpPort, pg, pgPoolSize, redis, gatewayDelayMinMs, gatewayDelayMaxMs, gatewaySeed,
        gatewayPort, gatewayUrl, gatewayTimeout, gatewaySuccessRates, gatewayApiKey, gatewayHangRate, gatewayFailRate,
        adminEmail, adminPassword, processorConcurrency, processorInstances, retryPolicy, retrySweepInterval, lease,
        idempotencyTtl, dataDir, httpEdge, secureCookies, approvalPolicy, velocityLimits, returns);
  }

  /** The same settings with the built-in gateway on this port (0: any free one). */
  public Settings withGatewayPort(int port) {
    return new Settings(httpPort, pgUrl, pgPoolSize, redisUrl, gatewayDelayMinMs, gatewayDelayMaxMs, gatewaySeed,
        port, gatewayUrl, gatewayTimeout, gatewaySuccessRates, gatewayApiKey, gatewayHangRate, gatewayFailRate,
        adminEmail, adminPassword, processorConcurrency, processorInstances, retryPolicy, retrySweepInterval, lease,
        idempotencyTtl, dataDir, httpEdge, secureCookies, approvalPolicy, velocityLimits, returns);
  }

  /** Where the built-in gateway posts its events: the configured URL, else this service's webhook on loopback. */
  public String effectiveWebhookUrl() {
    if (returns.webhookUrl() != null) return returns.webhookUrl();
    return httpPort == 0 ? null : "http://127.0.0.1:" + httpPort + "/api/gateway/events";
  }

  /** Where the service calls the gateway: the configured URL, or the built-in one on loopback. */
  public String effectiveGatewayUrl() {
    return gatewayUrl != null ? gatewayUrl : "http://127.0.0.1:" + gatewayPort;
  }

  public boolean builtInGateway() {
    return gatewayUrl == null;
  }

  /** Without the API key and the admin password: settings may be logged, secrets may not. */
  @Override
  public String toString() {
    return "Settings[httpPort=" + httpPort + ", gatewayUrl=" + effectiveGatewayUrl() + ", gatewayApiKey="
        + (gatewayApiKey == null ? "generated" : "(set)") + ", dataDir=" + dataDir + "]";
  }

  private static String optional(JsonObject c, String key) {
    Object v = c.getValue(key);
    return v == null || v.toString().isBlank() ? null : v.toString();
  }

  private static int port(JsonObject c, String key) {
    return intIn(c, key, 0, 65535);
  }

  private static int intIn(JsonObject c, String key, int min, int max) {
    Object v = c.getValue(key);
    try {
      int n = Integer.parseInt(String.valueOf(v).trim());
      if (n < min || n > max) throw new InvalidSetting(key, v, "must be between " + min + " and " + max);
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidSetting(key, v, "must be a whole number");
    }
  }

  private static double fraction(JsonObject c, String key) {
    Object v = c.getValue(key);
    try {
      double d = Double.parseDouble(String.valueOf(v).trim());
      if (!(d >= 0 && d <= 1)) throw new InvalidSetting(key, v, "must be between 0 and 1");
      return d;
    } catch (NumberFormatException e) {
      throw new InvalidSetting(key, v, "must be a fraction between 0 and 1");
    }
  }

  private static ApprovalPolicy approvalPolicy(JsonObject c) {
    Object v = c.getValue(APPROVAL_POLICY);
    try {
      return ApprovalPolicy.parse(v == null ? null : v.toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting(APPROVAL_POLICY, v, e.getMessage()
          + " (like auto-below=50.00,two-approvers-from=1000.00)");
    }
  }

  private static VelocityLimits velocityLimits(JsonObject c) {
    Object v = c.getValue(VELOCITY_LIMITS);
    try {
      return VelocityLimits.parse(v == null ? null : v.toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting(VELOCITY_LIMITS, v, e.getMessage() + " (like count=5/24h,amount=2000.00/24h)");
    }
  }

  private static Duration duration(JsonObject c, String key) {
    Object v = c.getValue(key);
    try {
      return Durations.parse(String.valueOf(v));
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting(key, v, e.getMessage());
    }
  }

  /** Longer than nothing, and short enough that its expiry time stays a timestamp Postgres can hold. */
  private static Duration idempotencyTtl(JsonObject c) {
    Duration d = duration(c, IDEMPOTENCY_TTL);
    if (d.isZero() || d.compareTo(Duration.ofDays(365)) > 0) {
      throw new InvalidSetting(IDEMPOTENCY_TTL, c.getValue(IDEMPOTENCY_TTL), "must be longer than 0 and at most 365d");
    }
    return d;
  }

  private static long[] delayRange(JsonObject c) {
    String v = String.valueOf(c.getValue(GATEWAY_DELAY_MS)).trim();
    try {
      String[] parts = v.split("-", 2);
      long min = Long.parseLong(parts[0].trim());
      long max = parts.length > 1 ? Long.parseLong(parts[1].trim()) : min;
      if (min < 0 || max < min) throw new InvalidSetting(GATEWAY_DELAY_MS, v, "needs 0 <= min <= max");
      return new long[] {min, max};
    } catch (NumberFormatException e) {
      throw new InvalidSetting(GATEWAY_DELAY_MS, v, "must be milliseconds, like 0 or 3000-10000");
    }
  }

  private static Map<PayoutMethod, Double> successRates(JsonObject c) {
    String v = String.valueOf(c.getValue(GATEWAY_SUCCESS_RATES));
    Map<PayoutMethod, Double> rates = new EnumMap<>(PayoutMethod.class);
    try {
      for (String pair : v.split(",")) {
        String[] kv = pair.trim().split("=", 2);
        double rate = Double.parseDouble(kv[1].trim());
        if (rate < 0 || rate > 1) throw new IllegalArgumentException("a rate must be between 0 and 1");
        rates.put(PayoutMethod.parse(kv[0].trim()), rate);
      }
    } catch (RuntimeException e) {
      throw new InvalidSetting(GATEWAY_SUCCESS_RATES, v,
          "must be like stripe_bank=0.95,paypal=0.90,check=0.98 (" + e.getMessage() + ")");
    }
    for (PayoutMethod m : PayoutMethod.values()) {
      if (!rates.containsKey(m)) throw new InvalidSetting(GATEWAY_SUCCESS_RATES, v, "no rate for " + m.wire());
    }
    return rates;
  }
}
