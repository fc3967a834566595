package com.payouts.db;

import org.flywaydb.core.Flyway;

/** Flyway over JDBC: blocking, so callers run it through executeBlocking. */
public final class Migrations {
  public static final String GATEWAY_SCHEMA = "gateway";

  private Migrations() {}

  /** Applies the service schema (public) and the mock gateway's own schema; returns how many ran. */
  public static int migrate(String pgUri) {
    PgUri uri = PgUri.parse(pgUri);
    int applied = Flyway.configure()
        .dataSource(uri.jdbcUrl(), uri.user(), uri.password())
        .locations("classpath:db/migration")
        .load().migrate().migrationsExecuted;
    applied += Flyway.configure()
        .dataSource(uri.jdbcUrl(), uri.user(), uri.password())
        .schemas(GATEWAY_SCHEMA).createSchemas(true)
        .locations("classpath:db/gateway")
        .load().migrate().migrationsExecuted;
    return applied;
  }
}
