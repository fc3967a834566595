package com.payouts.db;

import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.Priority;
import java.time.Instant;

/**
 * A page request over payouts. {@code after} is the decoded cursor: the sort value and id of the
 * last row of the previous page.
 */
public record PayoutFilter(
    PayoutStatus status, Priority priority, PayoutMethod method, Instant since, String query,
    Sort sort, boolean descending, int limit, Cursor after) {

  public static final int MAX_LIMIT = 200;

  /** Sort orders, each backed by an index together with the status filter. */
  public enum Sort {
    CREATED("created_at", "timestamptz"),
    AMOUNT("amount", "numeric"),
    PRIORITY("priority_rank", "smallint"),
    STATUS("status", "text"),
    /** Longest waiting first when descending: the reverse of created. */
    DAYS_PENDING("created_at", "timestamptz");

    final String column;
    final String type;

    Sort(String column, String type) {
      this.column = column;
      this.type = type;
    }
  }

  public record Cursor(String value, long id) {}
}
