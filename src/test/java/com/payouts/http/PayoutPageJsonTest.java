package com.payouts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.payouts.domain.Approval;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.Priority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The list page written field by field is the same JSON, byte for byte, as the payouts in
 * {@code JsonObject}s (what every other answer with a payout uses): over payouts with every field
 * null or set, text that must be escaped (quotes, backslashes, control characters, line separators)
 * and text beyond ASCII (accents, CJK, emoji).
 */
class PayoutPageJsonTest {
  static final String[] HOSTILE = {"", "plain", "quote \" here", "back\\slash", "new\nline", "tab\there", "nul\u0000",
      "bell\u0007", "del\u007f", "\u2028sep\u2029", "Zoë Ñandú", "払い戻し", "emoji 😀 ✓", "</script>", "{\"a\":1}"};

  @Test
  void aPageIsTheSameBytesAsThePayoutsAsJsonObjects() {
    Random random = new Random(20261204);
    List<Payout> items = new ArrayList<>();
    for (int i = 0; i < 300; i++) items.add(payout(random, i));
    for (String cursor : new String[] {null, "eyJ2IjoiMjAyNi0xMi0wNCIsImkiOjQyfQ"}) {
      for (List<Payout> page : List.of(items, items.subList(0, 1), List.<Payout>of())) {
        JsonArray array = new JsonArray();
        page.forEach(p -> array.add(PayoutJson.payout(p)));
        String expected = new JsonObject().put("items", array).put("nextCursor", cursor).encode();
        assertEquals(expected, PayoutPageJson.page(page, cursor).toString(StandardCharsets.UTF_8));
      }
    }
  }

  static Payout payout(Random r, int i) {
    // Half a day off a whole number of days: daysPending is the same whenever "now" is read.
    Instant created = Instant.now().minus(Duration.ofDays(r.nextInt(40))).minus(Duration.ofHours(12));
    List<Approval> approvals = new ArrayList<>();
    for (int k = r.nextInt(3); k > 0; k--) {
      approvals.add(new Approval(r.nextBoolean() ? null : (long) r.nextInt(1000), text(r), r.nextBoolean() ? null : time(r)));
    }
    List<String> reasons = new ArrayList<>();
    for (int k = r.nextInt(3); k > 0; k--) reasons.add(pick(r, HOSTILE));
    return new Payout(
        Long.MAX_VALUE - r.nextInt(1000) * (long) i, r.nextInt(1_000_000), text(r),
        money(r), r.nextBoolean() ? null : money(r), r.nextBoolean() ? null : money(r),
        pick(r, PayoutMethod.values()), pick(r, PayoutStatus.values()), pick(r, Priority.values()),
        text(r), text(r), text(r), r.nextBoolean(), r.nextInt(4), r.nextBoolean() ? null : time(r), r.nextBoolean(),
        text(r), text(r), created, nullableTime(r), nullableTime(r), nullableTime(r), nullableTime(r), nullableTime(r),
        r.nextBoolean() ? null : created.plusSeconds(3600), r.nextInt(Integer.MAX_VALUE), text(r), approvals,
        1 + r.nextInt(2), reasons, text(r), nullableTime(r));
  }

  static String text(Random r) {
    if (r.nextInt(3) == 0) return null;
    StringBuilder s = new StringBuilder();
    for (int k = 1 + r.nextInt(3); k > 0; k--) s.append(pick(r, HOSTILE));
    return s.toString();
  }

  static BigDecimal money(Random r) {
    return BigDecimal.valueOf(r.nextLong(100_000_000_000_000L), 2);
  }

  static Instant time(Random r) {
    return Instant.ofEpochSecond(1_700_000_000L + r.nextInt(100_000_000), r.nextInt(1_000_000) * 1000L);
  }

  static Instant nullableTime(Random r) {
    return r.nextBoolean() ? null : time(r);
  }

  @SafeVarargs
  static <T> T pick(Random r, T... values) {
    return values[r.nextInt(values.length)];
  }
}
