package com.payouts.db;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The audit-trail check's list of allowed transitions comes from the domain's table (and a first of two approvals, which keeps a payout pending). */
class LedgerSqlTest {
  @Test
  void theAllowedTransitionsAreTheLifecycles() {
    assertEquals("('>pending', 'pending>approved', 'pending>rejected', 'approved>processing', "
        + "'processing>completed', 'processing>failed', 'processing>needs_review', 'failed>processing', 'completed>returned', 'pending>pending')",
        LedgerSql.ALLOWED_TRANSITIONS);
    boolean found = false;
    for (LedgerSql.Check c : LedgerSql.CHECKS) {
      if (c.sql().contains("NOT IN " + LedgerSql.ALLOWED_TRANSITIONS)) found = true;
    }
    assertTrue(found, "the audit-trail check uses the list");
  }
}
