package com.payouts.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.payouts.domain.Approval;
import com.payouts.domain.Payout;
import com.payouts.http.PayoutJson.Field;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A page of {@code GET /api/payouts} written straight to UTF-8 bytes, field by field
 * ({@link PayoutJson#write}, the fields {@link PayoutJson#payout} puts in a {@code JsonObject}), without
 * a map per payout, a char buffer and a second pass to encode it; PayoutPageJsonTest holds the two to
 * the same bytes. A 50-payout page is about 55 KB; building and encoding those maps was the largest
 * share of a page read's CPU.
 */
final class PayoutPageJson {
  /** A character beyond the BMP (an emoji) as its four UTF-8 bytes, as a String encoded to UTF-8 has it, not as two escapes. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
  /** Room for a typical payout, so a page's buffer grows once at most. */
  private static final int BYTES_PER_PAYOUT = 1200;
  private static final SerializableString ITEMS = new SerializedString("items");
  private static final SerializableString NEXT_CURSOR = new SerializedString("nextCursor");

  private PayoutPageJson() {}

  /** {"items": [payout, ...], "nextCursor": cursor or null}. */
  static Buffer page(List<Payout> items, String nextCursor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + items.size() * BYTES_PER_PAYOUT);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      Fields fields = new Fields(g);
      g.writeStartObject();
      g.writeFieldName(ITEMS);
      g.writeStartArray();
      for (Payout p : items) {
        g.writeStartObject();
        PayoutJson.write(p, fields);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeFieldName(NEXT_CURSOR);
      g.writeString(nextCursor);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /** A payout's fields into the generator (its I/O errors unchecked: the stream is in memory). */
  private record Fields(JsonGenerator g) implements PayoutJson.FieldWriter {
    /** One generator step. */
    private interface Step {
      void write() throws IOException;
    }

    /** The field's name, then its value. */
    private void field(Field f, Step value) {
      try {
        g.writeFieldName(f.serialized);
        value.write();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void string(Field f, String value) {
      field(f, () -> g.writeString(value));
    }

    @Override
    public void number(Field f, long value) {
      field(f, () -> g.writeNumber(value));
    }

    @Override
    public void number(Field f, int value) {
      field(f, () -> g.writeNumber(value));
    }

    @Override
    public void bool(Field f, boolean value) {
      field(f, () -> g.writeBoolean(value));
    }

    @Override
    public void approvals(Field f, List<Approval> approvals) {
      field(f, () -> {
        g.writeStartArray();
        for (Approval a : approvals) {
          g.writeStartObject();
          string(Field.ACTOR, a.actor());
          string(Field.AT, PayoutJson.time(a.at()));
          g.writeEndObject();
        }
        g.writeEndArray();
      });
    }

    @Override
    public void strings(Field f, List<String> values) {
      field(f, () -> {
        g.writeStartArray();
        for (String v : values) g.writeString(v);
        g.writeEndArray();
      });
    }
  }
}
