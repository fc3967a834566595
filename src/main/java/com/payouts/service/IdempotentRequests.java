package com.payouts.service;

import com.payouts.db.IdempotencyRepository;
import com.payouts.service.Work;
import com.payouts.domain.DomainException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.function.Function;

/**
 * Idempotency keys as Stripe means them. A request with a key runs in one transaction with the
 * key's row: the key's first request executes and its response is stored with the key; a repeat
 * of that request answers the stored response again, whatever happened since (the balance spent,
 * the payout paid, the user made ineligible); another request under the key is refused. A repeat
 * sent while the first is still running waits on the key's row until the first commits. A request
 * that fails stores nothing, so its retry executes again.
 */
public class IdempotentRequests {
  /** The request header that carries a key; errors about the key name it as their field. */
  public static final String HEADER = "Idempotency-Key";
  /** Claims that race with the purge of an expired key get this many more tries. */
  private static final int CLAIM_RETRIES = 2;

  /**
   * A key as sent: {@code scope} is whose keys these are (the API client), {@code fingerprint}
   * what the request asks, {@code endpoint} where it was sent (named when the key is reused).
   */
  public record Key(String scope, String key, String fingerprint, String endpoint) {}

  /** The response to send; {@code replayed} when it is an earlier request's. */
  public record Reply(int status, String body, boolean replayed) {}

  private final Pool pool;
  private final IdempotencyRepository keys;
  private final Duration ttl;

  public IdempotentRequests(Pool pool, IdempotencyRepository keys, Duration ttl) {
    this.pool = pool;
    this.keys = keys;
    this.ttl = ttl;
  }

  public Duration ttl() {
    return ttl;
  }

  /** For a group commit that claims its keys itself ({@link PayoutCreations}). */
  IdempotencyRepository keys() {
    return keys;
  }

  /** Runs {@code operation} whose success is answered with {@code status}; once per key when {@code key} is not null. */
  public Future<Reply> run(Key key, int status, Function<Work, Future<String>> operation) {
    if (key == null) return Work.autoCommit(pool, operation).map(body -> new Reply(status, body, false));
    return Work.transaction(pool, w -> claimed(w, key, status, operation, CLAIM_RETRIES));
  }

  private Future<Reply> claimed(Work w, Key key, int status, Function<Work, Future<String>> operation, int triesLeft) {
    return keys.claim(w.sql(), key.scope(), key.key(), key.fingerprint(), key.endpoint(), ttl).compose(mine -> mine
        ? operation.apply(w).compose(body -> keys.storeResponse(w.sql(), key.scope(), key.key(), status, body)
            .map(v -> new Reply(status, body, false)))
        : earlier(w, key, status, operation, triesLeft));
  }

  /** The key is taken and committed: the same request answers its response, another one is refused. */
  private Future<Reply> earlier(Work w, Key key, int status, Function<Work, Future<String>> operation, int triesLeft) {
    return keys.find(w.sql(), key.scope(), key.key()).compose(found -> {
      if (found.isEmpty()) {
        // It expired and was purged between the claim and this read: it is a new key now.
        return triesLeft > 0 ? claimed(w, key, status, operation, triesLeft - 1)
            : Future.failedFuture(DomainException.conflict("the " + HEADER + " is changing hands; try again"));
      }
      IdempotencyRepository.Stored first = found.get();
      if (!first.fingerprint().equals(key.fingerprint())) {
        return Future.failedFuture(new DomainException(DomainException.Kind.KEY_REUSED, HEADER,
            "was already used for a different request (" + first.endpoint() + "); send a new key with a new request"));
      }
      return Future.succeededFuture(new Reply(first.status(), first.body(), true));
    });
  }
}
