package com.payouts.db;

/** The reconciliations kept for the dashboard: the last result is what it shows. */
final class ReconciliationSql {
  private ReconciliationSql() {}

  static final String SAVE = """
      INSERT INTO reconciliation_runs (at, since, clean, executions, payouts, mismatches)
      VALUES ($1, $2, $3, $4, $5, $6::text::jsonb) RETURNING id""";

  static final String LAST = """
      SELECT id, at, since, clean, executions, payouts, mismatches::text AS mismatches
      FROM reconciliation_runs ORDER BY id DESC LIMIT 1""";
}
