package com.payouts.db;

import com.payouts.domain.EligibilityEvent;
import com.payouts.domain.LedgerEntry;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.UserAccount;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Users and their wallets over the Pg pool. */
public class UserRepository {
  private final Pool pool;

  public UserRepository(Pool pool) {
    this.pool = pool;
  }

  /** Fails with SQLSTATE 23505 when the email is taken. */
  public Future<UserAccount> create(String email, String name, boolean staff, PayoutMethod preferred, String passwordHash) {
    return pool.preparedQuery(UserSql.CREATE)
        .execute(Tuple.of(email, name, staff, preferred == null ? null : preferred.wire(), passwordHash))
        .map(rows -> Rows.user(rows.iterator().next()));
  }

  /** For {@link Work#autoCommit}: the pool these users live in. */
  public Pool pool() {
    return pool;
  }

  public Future<Optional<UserAccount>> find(long id) {
    return find(pool, id);
  }

  public Future<Optional<UserAccount>> find(SqlClient sql, long id) {
    return sql.preparedQuery(UserSql.BY_ID).execute(Tuple.of(id)).map(UserRepository::first);
  }

  public Future<Optional<UserAccount>> findByEmail(String email) {
    return pool.preparedQuery(UserSql.BY_EMAIL).execute(Tuple.of(email)).map(UserRepository::first);
  }

  /** Empty when the user does not exist. */
  public Future<Optional<UserAccount>> credit(SqlClient sql, long userId, BigDecimal amount, String reason) {
    return sql.preparedQuery(UserSql.CREDIT).execute(Tuple.of(userId, amount, reason)).map(UserRepository::first);
  }

  /** False when the user does not exist. */
  public Future<Boolean> setPreferredMethod(long userId, PayoutMethod method) {
    return pool.preparedQuery(UserSql.SET_PREFERRED_METHOD).execute(Tuple.of(userId, method.wire()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** False when the user does not exist; audited under {@code actor}. */
  public Future<Boolean> setEligibility(long userId, boolean eligible, String reason, String actor) {
    return pool.preparedQuery(UserSql.SET_ELIGIBILITY).execute(Tuple.of(userId, eligible, reason, actor))
        .map(rows -> rows.size() == 1);
  }

  /** The user's eligibility switches, newest first. */
  public Future<List<EligibilityEvent>> eligibilityEvents(long userId, int limit) {
    return pool.preparedQuery(UserSql.ELIGIBILITY_EVENTS).execute(Tuple.of(userId, limit)).map(rows -> {
      List<EligibilityEvent> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new EligibilityEvent(r.getLong("id"), r.getLong("user_id"), r.getBoolean("eligible"),
            r.getString("reason"), r.getString("actor"), Rows.instant(r, "created_at")));
      }
      return out;
    });
  }

  public Future<List<LedgerEntry>> ledger(long userId, Long beforeId, int limit) {
    return pool.preparedQuery(UserSql.LEDGER).execute(Tuple.of(userId, beforeId, limit)).map(rows -> {
      List<LedgerEntry> out = new ArrayList<>();
      for (Row r : rows) out.add(Rows.ledger(r));
      return out;
    });
  }

  private static Optional<UserAccount> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(Rows.user(rows.iterator().next()));
  }
}
