package com.payouts.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Real Postgres and Redis servers started from the jar when none is configured, so the service
 * runs on a machine with nothing installed. Blocking: called before Vert.x starts.
 */
public final class EmbeddedServers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);
  static final int PG_PORT = 54329;
  static final int REDIS_PORT = 56379;

  private EmbeddedPostgres postgres;
  private RedisServer redis;

  /** Returns settings whose Postgres and Redis URLs point at running servers. */
  public Settings ensure(Settings s) throws IOException {
    String pg = s.pgUrl();
    String redisUrl = s.redisUrl();
    if (pg == null) {
      Path dir = Path.of(s.dataDir(), "pg").toAbsolutePath();
      Files.createDirectories(dir.getParent());
      log.info("mode: embedded PostgreSQL (no PAYOUTS_PG_URL), data in {}, port {}", dir, PG_PORT);
      postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
          .setPort(PG_PORT).start();
      pg = "postgresql://postgres@127.0.0.1:" + PG_PORT + "/postgres";
    } else {
      log.info("mode: configured PostgreSQL");
    }
    if (redisUrl == null) {
      log.info("mode: embedded Redis 6.2 (no PAYOUTS_REDIS_URL), port {}", REDIS_PORT);
      redis = RedisServer.newRedisServer().bind("127.0.0.1").port(REDIS_PORT)
          .setting("save \"\"").setting("appendonly no").build();
      redis.start();
      redisUrl = "redis://127.0.0.1:" + REDIS_PORT + "/0";
    } else {
      log.info("mode: configured Redis");
    }
    return new Settings(s.httpPort(), pg, s.pgPoolSize(), redisUrl, s.gatewayDelayMinMs(), s.gatewayDelayMaxMs(),
        s.gatewaySeed(), s.gatewayPort(), s.gatewayUrl(), s.gatewayTimeout(), s.gatewaySuccessRates(),
        s.gatewayHangRate(), s.gatewayFailRate(),
        s.adminEmail(), s.adminPassword(), s.processorConcurrency(), s.processorInstances(), s.retryPolicy(),
        s.retrySweepInterval(), s.lease(), s.dataDir());
  }

  @Override
  public void close() {
    try {
      if (redis != null) redis.stop();
      if (postgres != null) postgres.close();
    } catch (IOException e) {
      log.warn("stopping embedded servers: {}", e.getMessage());
    }
  }
}
