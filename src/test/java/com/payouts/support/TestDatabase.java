package com.payouts.support;

import com.payouts.db.Migrations;
import com.payouts.db.PgUri;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.UUID;

/**
 * A fresh database per test class on the machine's real Postgres, migrated, dropped afterwards.
 * {@link TestServers} decides which server.
 */
public final class TestDatabase {
  private final Vertx vertx;
  private final PgUri admin;
  private final PgUri uri;
  private Pool pool;

  private TestDatabase(Vertx vertx, PgUri admin, PgUri uri) {
    this.vertx = vertx;
    this.admin = admin;
    this.uri = uri;
  }

  /** See {@link TestServers}. */
  public static String serverUrl() {
    return TestServers.postgresUrl();
  }

  /** Creates the database, runs the migrations and opens a pool of {@code poolSize}. */
  public static Future<TestDatabase> create(Vertx vertx, int poolSize) {
    PgUri admin = PgUri.parse(serverUrl());
    String name = "payouts_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    TestDatabase db = new TestDatabase(vertx, admin, admin.withDatabase(name));
    Pool adminPool = pool(vertx, admin, 1);
    return adminPool.query("CREATE DATABASE " + name).execute()
        .eventually(adminPool::close)
        .compose(v -> vertx.executeBlocking(() -> Migrations.migrate(db.uri.toUri())))
        .map(n -> {
          db.pool = pool(vertx, db.uri, poolSize);
          return db;
        });
  }

  public static Future<TestDatabase> create(Vertx vertx) {
    return create(vertx, 8);
  }

  /**
   * Creates the database and migrates it only as far as {@code migrate} takes it (given the JDBC
   * url, user and password; blocking, run off the event loop): for upgrade tests, which then
   * write rows the way an older release did and call {@link #migrate()}.
   */
  public static Future<TestDatabase> createAt(Vertx vertx, int poolSize, Migration migrate) {
    PgUri admin = PgUri.parse(serverUrl());
    String name = "payouts_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    TestDatabase db = new TestDatabase(vertx, admin, admin.withDatabase(name));
    Pool adminPool = pool(vertx, admin, 1);
    return adminPool.query("CREATE DATABASE " + name).execute()
        .eventually(adminPool::close)
        .compose(v -> vertx.executeBlocking(() -> {
          migrate.run(db.uri.jdbcUrl(), db.uri.user(), db.uri.password());
          return null;
        }))
        .map(n -> {
          db.pool = pool(vertx, db.uri, poolSize);
          return db;
        });
  }

  /** Applies every migration not yet applied, as a start of the current release does. */
  public Future<Integer> migrate() {
    return vertx.executeBlocking(() -> Migrations.migrate(uri.toUri()));
  }

  @FunctionalInterface
  public interface Migration {
    void run(String jdbcUrl, String user, String password) throws Exception;
  }

  public Pool pool() {
    return pool;
  }

  public String url() {
    return uri.toUri();
  }

  public Future<Void> drop() {
    Future<Void> closed = pool == null ? Future.succeededFuture() : pool.close();
    return closed.compose(v -> {
      Pool adminPool = pool(vertx, admin, 1);
      return adminPool.query("DROP DATABASE IF EXISTS " + uri.database() + " WITH (FORCE)").execute()
          .eventually(adminPool::close)
          .mapEmpty();
    });
  }

  private static Pool pool(Vertx vertx, PgUri uri, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size))
        .connectingTo(PgConnectOptions.fromUri(uri.toUri()))
        .using(vertx)
        .build();
  }
}
