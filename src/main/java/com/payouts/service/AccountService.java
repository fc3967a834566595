package com.payouts.service;

import com.payouts.db.UserRepository;
import com.payouts.service.Work;
import com.payouts.domain.DomainException;
import com.payouts.domain.EligibilityEvent;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.UserAccount;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/** Users and their earnings. */
public class AccountService {
  /** Ledger rows per page. */
  public static final int LEDGER_PAGE = 100;
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}$");

  private final UserRepository users;

  public AccountService(UserRepository users) {
    this.users = users;
  }

  public UserRepository repository() {
    return users;
  }

  public Future<UserAccount> createUser(String email, String name, PayoutMethod preferred) {
    if (email == null || !EMAIL.matcher(email).matches()) {
      return Future.failedFuture(new DomainException(DomainException.Kind.INVALID, "email", "must be an email address"));
    }
    if (name == null || name.isBlank()) {
      return Future.failedFuture(new DomainException(DomainException.Kind.INVALID, "name", "is required"));
    }
    return users.create(email.trim(), name.trim(), false, preferred, null).recover(err -> {
      if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
        return Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT, "email", "is already registered"));
      }
      return Future.failedFuture(err);
    });
  }

  public Future<UserAccount> find(long id) {
    return users.find(id).compose(u -> u.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(DomainException.notFound("user", id))));
  }

  /**
   * A page of the user's ledger, newest first, before row {@code beforeId} (null: from the newest);
   * fails with not found when there is no such user.
   */
  public Future<LedgerPage> ledger(long userId, Long beforeId) {
    return find(userId).compose(u -> users.ledger(userId, beforeId, LEDGER_PAGE)).map(rows ->
        new LedgerPage(rows, rows.size() == LEDGER_PAGE ? rows.get(rows.size() - 1).id() : null));
  }

  /** Credits earnings to the available balance, with its ledger row. */
  public Future<UserAccount> credit(long userId, BigDecimal amount, String reason) {
    return Work.autoCommit(users.pool(), w -> credit(w, userId, amount, reason));
  }

  /** The same, as part of {@code w} (an idempotent request's transaction). */
  public Future<UserAccount> credit(Work w, long userId, BigDecimal amount, String reason) {
    return users.credit(w.sql(), userId, amount, reason).compose(u -> u.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(DomainException.notFound("user", userId))));
  }

  /** A change of the user's payout method: under an approval policy their next day's payouts are flagged method_changed. */
  public Future<UserAccount> setPreferredMethod(long userId, PayoutMethod method) {
    return users.setPreferredMethod(userId, method).compose(found -> found
        ? find(userId) : Future.failedFuture(DomainException.notFound("user", userId)));
  }

  public Future<UserAccount> setEligibility(long userId, boolean eligible, String reason) {
    return setEligibility(userId, eligible, reason, "api");
  }

  /** Switches the user's payouts on or off, with an audit row naming {@code actor}. */
  public Future<UserAccount> setEligibility(long userId, boolean eligible, String reason, String actor) {
    return users.setEligibility(userId, eligible, reason, actor).compose(found -> found
        ? find(userId) : Future.failedFuture(DomainException.notFound("user", userId)));
  }

  /** Who switched the user's payouts off or on, and why, newest first. */
  public Future<List<EligibilityEvent>> eligibilityEvents(long userId) {
    return find(userId).compose(u -> users.eligibilityEvents(userId, LEDGER_PAGE));
  }
}
