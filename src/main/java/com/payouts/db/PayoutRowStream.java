package com.payouts.db;

import com.payouts.domain.Payout;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import java.util.function.Supplier;

/** A cursor's rows as payouts, with its back-pressure; the cursor's connection is closed at the end or on a failure. */
final class PayoutRowStream implements ReadStream<Payout> {
  private final RowStream<Row> rows;
  private final Supplier<Future<Void>> close;
  /** Where the cursor's columns sit: every row of it has the same. */
  private Rows.PayoutColumns columns;

  PayoutRowStream(RowStream<Row> rows, Supplier<Future<Void>> close) {
    this.rows = rows;
    this.close = close;
  }

  @Override
  public ReadStream<Payout> exceptionHandler(Handler<Throwable> handler) {
    rows.exceptionHandler(err -> {
      close.get();
      if (handler != null) handler.handle(err);
    });
    return this;
  }

  @Override
  public ReadStream<Payout> handler(Handler<Payout> handler) {
    rows.handler(handler == null ? null : row -> {
      if (columns == null) columns = Rows.PayoutColumns.of(row);
      handler.handle(Rows.payout(columns, row));
    });
    return this;
  }

  @Override
  public ReadStream<Payout> pause() {
    rows.pause();
    return this;
  }

  @Override
  public ReadStream<Payout> resume() {
    rows.resume();
    return this;
  }

  @Override
  public ReadStream<Payout> fetch(long amount) {
    rows.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Payout> endHandler(Handler<Void> endHandler) {
    rows.endHandler(v -> close.get().onComplete(ar -> {
      if (endHandler != null) endHandler.handle(null);
    }));
    return this;
  }
}
