package com.payouts.app;

import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Real Postgres and Redis servers started from the jar when none is configured, so the service
 * runs on a machine with nothing installed. Blocking: called before Vert.x starts.
 *
 * <p>One process owns a data directory's embedded servers: the first to take {@code embedded.lock}
 * there. It records where they listen in {@code embedded.json}; every later process on the same
 * data directory (a command run beside the service) connects to those instead of starting its own.
 * A second {@code serve} refuses to start. Servers orphaned by an owner killed with -9 are stopped
 * by the next owner before it starts fresh ones.
 */
public final class EmbeddedServers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);
  /** Preferred ports; a free one is taken when these are busy. */
  static final int PG_PORT = 54329;
  static final int REDIS_PORT = 56379;
  static final String LOCK_FILE = "embedded.lock";
  static final String RUNTIME_FILE = "embedded.json";
  /** How long a later process waits for an owner that is still starting its servers. */
  static final Duration OWNER_START_WAIT = Duration.ofSeconds(60);

  /** What the process wants of the data directory: to own it (serve), or any access (a command). */
  public enum Use { OWN, SHARE }

  /** The data directory is owned by another process that this one may not share it with. */
  public static final class DataDirInUse extends IllegalStateException {
    DataDirInUse(String message) {
      super(message);
    }
  }

  private final String command;
  private final boolean preferredPorts;
  private EmbeddedPostgres postgres;
  private RedisServer redis;
  private FileChannel lockChannel;
  private FileLock lock;
  private Path runtimeFile;

  /** @param command what this process is (serve, seed, ...), recorded for other processes' messages. */
  public EmbeddedServers(String command) {
    this(command, true);
  }

  /**
   * {@code preferredPorts} false: any free ports, never the preferred ones (the tests, whose JVMs
   * start their own servers side by side and would otherwise race for the same port).
   */
  public EmbeddedServers(String command, boolean preferredPorts) {
    this.command = command;
    this.preferredPorts = preferredPorts;
  }

  /** Returns settings whose Postgres and Redis URLs point at running servers. */
  public Settings ensure(Settings s, Use use) throws IOException {
    if (s.pgUrl() != null && s.redisUrl() != null) {
      log.info("mode: configured PostgreSQL and Redis");
      return s;
    }
    Path dir = Path.of(s.dataDir()).toAbsolutePath();
    Files.createDirectories(dir);
    lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = lockChannel.tryLock();
    if (lock == null) {
      lockChannel.close();
      lockChannel = null;
      return attach(s, dir, use);
    }
    return own(s, dir);
  }

  /** Another process owns the servers: use them, once its record says they answer. */
  private Settings attach(Settings s, Path dir, Use use) throws IOException {
    Runtime owner = awaitOwner(dir);
    if (use == Use.OWN) {
      throw new DataDirInUse("another payouts process (pid " + owner.pid + ", `" + owner.command
          + "`) is using the embedded Postgres and Redis of data directory " + dir
          + "; stop it first, or give this one its own PAYOUTS_DATA_DIR");
    }
    if ((s.pgUrl() == null && owner.pgPort == 0) || (s.redisUrl() == null && owner.redisPort == 0)) {
      throw new DataDirInUse("the process owning data directory " + dir + " (pid " + owner.pid
          + ") runs no embedded " + (owner.pgPort == 0 ? "Postgres" : "Redis") + "; configure the same "
          + (owner.pgPort == 0 ? "PAYOUTS_PG_URL" : "PAYOUTS_REDIS_URL") + " as it has");
    }
    log.info("mode: embedded servers of pid {} ({}) in {}", owner.pid, owner.command, dir);
    return s.withServers(s.pgUrl() != null ? s.pgUrl() : pgUrl(owner.pgPort),
        s.redisUrl() != null ? s.redisUrl() : redisUrl(owner.redisPort));
  }

  private Runtime awaitOwner(Path dir) throws IOException {
    Instant deadline = Instant.now().plus(OWNER_START_WAIT);
    while (true) {
      Optional<Runtime> r = Runtime.read(dir.resolve(RUNTIME_FILE));
      if (r.isPresent() && (r.get().pgPort == 0 || answers(r.get().pgPort))
          && (r.get().redisPort == 0 || answers(r.get().redisPort))) {
        return r.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new DataDirInUse("another process holds " + dir.resolve(LOCK_FILE)
            + " but its embedded servers did not come up within " + OWNER_START_WAIT.toSeconds() + " s");
      }
      sleep(200);
    }
  }

  private Settings own(Settings s, Path dir) throws IOException {
    runtimeFile = dir.resolve(RUNTIME_FILE);
    Optional<Runtime> stale = Runtime.read(runtimeFile);
    String pg = s.pgUrl();
    String redisUrl = s.redisUrl();
    int pgPort = 0;
    int redisPort = 0;
    if (pg == null) {
      Path pgDir = dir.resolve("pg");
      stopOrphanedPostgres(pgDir);
      pgPort = portFor(preferredPorts ? PG_PORT : 0);
      log.info("mode: embedded PostgreSQL (no PAYOUTS_PG_URL), data in {}, port {}", pgDir, pgPort);
      // The library's defaults are for throwaway test databases (no fsync, asynchronous commit); this
      // one holds money, so a commit is durable here as on any server.
      postgres = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(false)
          .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
          .setPort(pgPort).start();
      pg = pgUrl(pgPort);
    }
    if (redisUrl == null) {
      stale.ifPresent(r -> stopOrphanedRedis(r.redisPort));
      redisPort = portFor(preferredPorts ? REDIS_PORT : 0);
      log.info("mode: embedded Redis 6.2 (no PAYOUTS_REDIS_URL), port {}", redisPort);
      redis = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort)
          .setting("save \"\"").setting("appendonly no").build();
      redis.start();
      redisUrl = redisUrl(redisPort);
    }
    new Runtime(ProcessHandle.current().pid(), command, pgPort, redisPort).write(runtimeFile);
    return s.withServers(pg, redisUrl);
  }

  /** The Postgres of a process that owns {@code dataDir}'s embedded servers, if one is running. */
  public static Optional<String> runningPostgres(String dataDir) {
    return Runtime.read(Path.of(dataDir).toAbsolutePath().resolve(RUNTIME_FILE))
        .filter(r -> r.pgPort > 0 && answers(r.pgPort))
        .map(r -> pgUrl(r.pgPort));
  }

  static String pgUrl(int port) {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  static String redisUrl(int port) {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** A postmaster still running on our data directory belongs to an owner that died without stopping it. */
  private static void stopOrphanedPostgres(Path pgDir) {
    Path pidFile = pgDir.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) return;
      List<String> lines = Files.readAllLines(pidFile);
      long pid = Long.parseLong(lines.get(0).trim());
      Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
          .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
      if (orphan.isEmpty()) return;
      log.warn("stopping the embedded PostgreSQL (pid {}) left running by a process that died", pid);
      orphan.get().destroy();
      orphan.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("could not stop an orphaned PostgreSQL: {}", e.toString());
    }
  }

  private static void stopOrphanedRedis(int port) {
    if (port <= 0 || !answers(port)) return;
    log.warn("stopping the embedded Redis on port {} left running by a process that died", port);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write("SHUTDOWN NOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // the server closes the connection as it exits
      }
    } catch (IOException e) {
      // closed by the exiting server, or already gone
    }
    for (int i = 0; i < 50 && answers(port); i++) sleep(100);
  }

  /** The preferred port when free, else any free one. */
  private static int portFor(int preferred) throws IOException {
    if (preferred > 0 && !answers(preferred) && canBind(preferred)) return preferred;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean canBind(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean answers(int port) {
    if (port <= 0) return false;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      if (redis != null) redis.stop();
      if (postgres != null) postgres.close();
    } catch (IOException e) {
      log.warn("stopping embedded servers: {}", e.getMessage());
    }
    try {
      if (runtimeFile != null) Files.deleteIfExists(runtimeFile);
      if (lock != null) lock.release();
      if (lockChannel != null) lockChannel.close();
    } catch (IOException e) {
      log.warn("releasing the data directory: {}", e.getMessage());
    }
    redis = null;
    postgres = null;
    lock = null;
    lockChannel = null;
    runtimeFile = null;
  }

  /** What {@code embedded.json} says: who owns the servers and where they listen (0: not embedded). */
  record Runtime(long pid, String command, int pgPort, int redisPort) {
    static Optional<Runtime> read(Path file) {
      try {
        if (!Files.exists(file)) return Optional.empty();
        JsonObject o = new JsonObject(Files.readString(file));
        return Optional.of(new Runtime(o.getLong("pid"), o.getString("command"),
            o.getInteger("postgresPort", 0), o.getInteger("redisPort", 0)));
      } catch (Exception e) {
        return Optional.empty(); // being written, or not ours: treated as absent
      }
    }

    void write(Path file) throws IOException {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, new JsonObject().put("pid", pid).put("command", command)
          .put("postgresPort", pgPort).put("redisPort", redisPort).encodePrettily());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
