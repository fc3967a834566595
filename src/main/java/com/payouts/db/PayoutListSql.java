package com.payouts.db;

import com.payouts.domain.PayoutFilter;

import io.vertx.sqlclient.Tuple;

/** Builds the one dynamic query of the service: filtered, sorted, keyset-paginated payouts. */
final class PayoutListSql {
  private PayoutListSql() {}

  record Query(String sql, Tuple args) {}

  static Query build(PayoutFilter f) {
    return build(f, true);
  }

  /** The same rows, filtered and sorted alike, without a page's limit: for an export read through a cursor. */
  static Query export(PayoutFilter f) {
    return build(f, false);
  }

  private static Query build(PayoutFilter f, boolean paged) {
    StringBuilder where = new StringBuilder(" WHERE TRUE");
    Tuple args = Tuple.tuple();
    if (f.status() != null) where.append(" AND t.status = $").append(add(args, f.status().wire()));
    if (f.priority() != null) where.append(" AND t.priority = $").append(add(args, f.priority().wire()));
    if (f.method() != null) where.append(" AND t.method = $").append(add(args, f.method().wire()));
    if (f.userId() != null) where.append(" AND t.user_id = $").append(add(args, f.userId()));
    if (f.since() != null) {
      where.append(" AND t.created_at >= $").append(add(args, f.since().atOffset(java.time.ZoneOffset.UTC)));
    }
    if (f.query() != null) {
      String q = f.query().trim();
      if (q.matches("[0-9]{1,18}")) {
        where.append(" AND t.id = $").append(add(args, Long.parseLong(q)));
      } else {
        String pattern = q.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        where.append(" AND t.user_id IN (SELECT id FROM users WHERE lower(email) LIKE $")
            .append(add(args, pattern)).append(")");
      }
    }
    if (f.approval() != null) {
      where.append(" AND t.status = 'pending'");
      switch (f.approval()) {
        case NEEDS_REVIEW -> where.append(" AND cardinality(t.review_reasons) > 0");
        case SECOND_APPROVAL -> where.append(" AND t.approvals_required = 2 AND jsonb_array_length(t.approvals) = 1");
        case APPROVABLE -> {
          if (f.approver() == null) {
            where.append(" AND FALSE");
          } else {
            int me = add(args, f.approver());
            where.append(" AND u.payout_eligible AND (t.approvals_required < 2 OR (t.requested_by IS DISTINCT FROM $")
                .append(me).append("::bigint AND NOT t.approvals @> jsonb_build_array(jsonb_build_object('userId', $")
                .append(me).append("::bigint))))");
          }
        }
      }
    }
    // DAYS_PENDING descending means oldest first, i.e. created ascending.
    boolean desc = f.sort() == PayoutFilter.Sort.DAYS_PENDING ? !f.descending() : f.descending();
    String col = "t." + column(f.sort());
    if (f.after() != null) {
      where.append(" AND (").append(col).append(", t.id) ").append(desc ? "<" : ">")
          .append(" ($").append(add(args, f.after().value())).append("::text::").append(type(f.sort()))
          .append(", $").append(add(args, f.after().id())).append(")");
    }
    String dir = desc ? " DESC" : " ASC";
    String sql = "SELECT t.*, u.email AS user_email, t." + column(f.sort()) + "::text AS sort_value"
        + " FROM payout_requests t JOIN users u ON u.id = t.user_id" + where
        + " ORDER BY " + col + dir + ", t.id" + dir + (paged ? " LIMIT $" + add(args, f.limit() + 1) : "");
    return new Query(sql, args);
  }

  private static int add(Tuple args, Object value) {
    args.addValue(value);
    return args.size();
  }

  /** The column a sort orders by (and its keyset cursor compares). */
  static String column(PayoutFilter.Sort sort) {
    return switch (sort) {
      case CREATED, DAYS_PENDING -> "created_at";
      case AMOUNT -> "amount";
      case PRIORITY -> "priority_rank";
      case STATUS -> "status";
    };
  }

  /** The SQL type a cursor's text value is cast back to. */
  static String type(PayoutFilter.Sort sort) {
    return switch (sort) {
      case CREATED, DAYS_PENDING -> "timestamptz";
      case AMOUNT -> "numeric";
      case PRIORITY -> "smallint";
      case STATUS -> "text";
    };
  }
}
