package com.payouts.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of the gateway's webhooks, as Stripe signs its own: the header
 * {@code Gateway-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the shared
 * secret>}. The timestamp is inside the signed text, so an old delivery cannot be replayed with a
 * fresh one; outside the tolerance window a signature is refused even when it is right.
 */
public final class WebhookSignature {
  public static final String HEADER = "Gateway-Signature";
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private final byte[] secret;

  public WebhookSignature(String secret) {
    if (secret == null || secret.length() < 16) throw new IllegalArgumentException("the webhook secret needs 16 characters or more");
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** The header value for {@code body} sent at {@code at}. */
  public String header(Instant at, String body) {
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(t + "." + body));
  }

  /**
   * Why {@code header} does not sign {@code body} now, or null when it does: missing or malformed,
   * outside the window, or a signature that is not the secret's.
   */
  public String refusal(String header, String body, Instant now, Duration tolerance) {
    if (header == null || header.isBlank()) return "the " + HEADER + " header is missing";
    Long t = null;
    byte[] given = null;
    for (String part : header.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2) continue;
      try {
        if (kv[0].equals("t")) t = Long.parseLong(kv[1]);
        else if (kv[0].equals("v1") && given == null) given = HexFormat.of().parseHex(kv[1]);
      } catch (IllegalArgumentException e) {
        return "the " + HEADER + " header is malformed";
      }
    }
    if (t == null || given == null) return "the " + HEADER + " header needs t=<unix seconds>,v1=<hex signature>";
    if (Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
      return "the signature's timestamp is outside the tolerance of " + tolerance.toSeconds() + " s";
    }
    return MessageDigest.isEqual(mac(t + "." + body), given) ? null : "the signature does not match";
  }

  private byte[] mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e); // every JVM has HmacSHA256
    }
  }
}
