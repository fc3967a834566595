package com.payouts.db;

/** The installation's settings: values created once per database, shared by every process on it. */
final class InstallationSql {
  private InstallationSql() {}

  /** Whoever inserts first wins; a racing second insert waits for the first's commit, then does nothing. */
  static final String INSERT_IF_ABSENT = """
      INSERT INTO installation_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING""";

  static final String VALUE = """
      SELECT value FROM installation_settings WHERE name = $1""";
}
