package com.payouts.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A postgresql:// URI, and the JDBC form Flyway needs. */
public record PgUri(String host, int port, String database, String user, String password) {

  public static PgUri parse(String text) {
    URI u;
    try {
      u = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URI: " + e.getMessage());
    }
    if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme())) {
      throw new IllegalArgumentException("must start with postgresql://");
    }
    if (u.getHost() == null) throw new IllegalArgumentException("has no host");
    String db = u.getPath() == null || u.getPath().length() <= 1 ? "postgres" : u.getPath().substring(1);
    String user = "postgres";
    String password = null;
    if (u.getRawUserInfo() != null) {
      String[] parts = u.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      if (parts.length > 1) password = decode(parts[1]);
    }
    return new PgUri(u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(), db, user, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public String toUri() {
    String auth = user + (password == null ? "" : ":" + password);
    return "postgresql://" + auth + "@" + host + ":" + port + "/" + database;
  }

  public PgUri withDatabase(String db) {
    return new PgUri(host, port, db, user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
