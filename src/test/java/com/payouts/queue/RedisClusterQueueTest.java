package com.payouts.queue;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.Priority;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job queue on a real Redis Cluster: three {@code redis-server --cluster-enabled yes} on free
 * loopback ports, joined with {@code redis-cli --cluster create}. Every script runs (a cross-slot
 * key would fail it with CROSSSLOT or "keys that do not hash to the same slot"), and every key of
 * the queue hashes to one slot. Skipped, saying so, where redis-server is not installed.
 */
class RedisClusterQueueTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final List<Process> servers = new ArrayList<>();
  static Path dir;
  static Vertx vertx;
  static Redis redis;
  static JobQueue queue;

  @BeforeAll
  static void startCluster() throws Exception {
    Assumptions.assumeTrue(onPath("redis-server") && onPath("redis-cli"),
        "redis-server and redis-cli are not installed: the Redis Cluster test is skipped");
    dir = Files.createTempDirectory("redis-cluster-test");
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = freePort();
      ports.add(port);
      servers.add(new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf", "--dir", dir.toString(),
          "--save", "", "--appendonly", "no").redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start());
    }
    for (int port : ports) waitFor(() -> cli(port, "ping").contains("PONG"), "redis " + port + " answers");
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    ports.forEach(p -> create.add("127.0.0.1:" + p));
    create.add("--cluster-yes");
    Process p = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(dir.resolve("create.log").toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, () -> "cluster create failed: " + read("create.log"));
    for (int port : ports) waitFor(() -> cli(port, "cluster", "info").contains("cluster_state:ok"), "cluster ok on " + port);

    vertx = Vertx.vertx();
    RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER).setMaxPoolSize(4);
    ports.forEach(port -> options.addConnectionString("redis://127.0.0.1:" + port));
    redis = Redis.createClient(vertx, options);
    queue = new JobQueue(redis, "payouts:");
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (redis != null) redis.close();
    if (vertx != null) await(vertx.close());
    servers.forEach(Process::destroy);
    for (Process s : servers) {
      try {
        s.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void everyKeyOfTheQueueHashesToOneSlot() {
    QueueKeys k = queue.keys();
    List<String> names = new ArrayList<>(k.scriptKeys());
    names.addAll(List.of(k.job("a"), k.job("b"), k.task("a"), k.live("payout:1")));
    long slot = slot(names.get(0));
    for (String name : names) assertEquals(slot, slot(name), name + " is in another slot");
  }

  @Test
  void theScriptsRunOnRedisCluster() {
    Job urgent = new Job("u-1", JobTypes.PROCESS_SINGLE_PAYOUT, new JsonObject().put("payoutId", 1), Priority.URGENT, 0, 2, null);
    Job normal = new Job("n-1", JobTypes.PROCESS_SINGLE_PAYOUT, new JsonObject().put("payoutId", 2), Priority.NORMAL, 0, 1, null);
    Job later = new Job("d-1", JobTypes.PROCESS_SINGLE_PAYOUT, new JsonObject(), Priority.LOW, 0, 1, null)
        .withDueAt(Instant.now().plusSeconds(3600));
    assertEquals(3, await(queue.enqueue(List.of(urgent, normal, later))));
    assertTrue(await(queue.enqueueUnique(Job.of(JobTypes.PROCESS_SINGLE_PAYOUT, new JsonObject(), Priority.HIGH, 1),
        "payout:9")));
    assertFalse(await(queue.enqueueUnique(Job.of(JobTypes.PROCESS_SINGLE_PAYOUT, new JsonObject(), Priority.HIGH, 1),
        "payout:9")), "the dedupe key holds");

    JsonObject depth = await(queue.depth());
    assertEquals(3L, depth.getLong("ready"));
    assertEquals(1L, depth.getLong("delayed"));

    List<Job> claimed = await(queue.claim("node-a", 10, LEASE));
    assertEquals(List.of("u-1"), claimed.stream().map(Job::id).limit(1).toList(), "urgent first");
    assertEquals(3, claimed.size());
    assertEquals(3, await(queue.renew("node-a", claimed.stream().map(Job::id).toList(), LEASE)).size());
    assertTrue(await(queue.ack("node-a", "u-1", new JsonObject().put("ok", true))));
    assertEquals(JobQueue.FailOutcome.DEAD, await(queue.fail("node-a", "n-1", "declined", Duration.ZERO)));
    String third = claimed.get(1).id().equals("n-1") ? claimed.get(2).id() : claimed.get(1).id();
    assertEquals(1, await(queue.handBack("node-a", List.of(third))));
    assertEquals(List.of(third), await(queue.claim("node-b", 10, LEASE)).stream().map(Job::id).toList(),
        "handed back, then claimed by another node");
    assertEquals(0, await(queue.reclaimExpired(100)));
    assertEquals(List.of("n-1"), await(queue.deadLetters(10)).stream().map(Job::id).toList());
    assertTrue(await(queue.requeueDead("n-1")));
    assertEquals("succeeded", await(queue.taskStatus("u-1")).orElseThrow().getString("state"));
    await(queue.recordTask("inline-1", "batch", TaskStatus.SUCCEEDED, new JsonObject()));
    assertEquals("succeeded", await(queue.taskStatus("inline-1")).orElseThrow().getString("state"));
  }

  static long slot(String key) {
    return await(redis.send(Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(key))).toLong();
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) return true;
    }
    return false;
  }

  /** Below 55535: Redis Cluster also listens on port + 10000 for its bus. */
  static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        int port = s.getLocalPort();
        if (port < 55535) {
          try (ServerSocket bus = new ServerSocket(port + 10000)) {
            return port;
          } catch (IOException busTaken) {
            // try another
          }
        }
      }
    }
    throw new IOException("no free port pair for a Redis Cluster node");
  }

  static String cli(int port, String... args) {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  static void waitFor(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > until) fail("not within 60 s: " + what);
      Thread.sleep(100);
    }
  }

  static String read(String file) {
    try {
      return Files.readString(dir.resolve(file));
    } catch (IOException e) {
      return "(" + e.getMessage() + ")";
    }
  }
}
