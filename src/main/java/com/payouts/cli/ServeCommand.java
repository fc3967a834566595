package com.payouts.cli;

import com.payouts.app.EmbeddedServers;
import com.payouts.app.MainVerticle;
import com.payouts.app.NodeSettings;
import com.payouts.app.NodeVertx;
import com.payouts.app.Role;
import com.payouts.app.ServiceGraph;
import com.payouts.app.Settings;
import com.payouts.metrics.ServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the service: HTTP API, processor, retry scheduler, stats and (unless PAYOUTS_GATEWAY_URL is set) the mock gateway.")
public class ServeCommand implements Callable<Integer> {
  @Option(names = "--roles", defaultValue = "http,processor,retry,stats",
      description = "What this process runs: any non-empty subset of http, processor, retry, stats (default: all).")
  String roles = "http,processor,retry,stats";

  @Option(names = "--cluster",
      description = "Join the other nodes over Hazelcast (PAYOUTS_CLUSTER_HOST, PAYOUTS_CLUSTER_MEMBERS): one event bus, one set of sweeps.")
  boolean cluster;

  @Override
  public Integer call() {
    Settings settings;
    NodeSettings node;
    Set<Role> running;
    try {
      JsonObject config = Settings.load(System.getenv());
      settings = Settings.from(config);
      node = NodeSettings.from(config, settings.httpPort());
      running = Role.parse(roles);
    } catch (IllegalArgumentException e) { // a bad setting or role list
      System.err.println(e.getMessage());
      return 2;
    }
    EmbeddedServers embedded = new EmbeddedServers("serve");
    try {
      Settings resolved = embedded.ensure(settings, EmbeddedServers.Use.OWN);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Vertx vertx = NodeVertx.start(cluster, node, registry).toCompletionStage().toCompletableFuture().get();
      ServiceGraph.Node self = new ServiceGraph.Node(node.nodeName(), new ServiceMetrics(registry), node.shutdownGrace());
      CountDownLatch stopped = new CountDownLatch(1);
      AtomicReference<ServiceGraph> graph = new AtomicReference<>();
      AtomicReference<String> deployment = new AtomicReference<>();
      AtomicReference<MainVerticle> main = new AtomicReference<>();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        // SIGTERM: readiness 503, the processors finish or hand back what they hold, the sweeps give
        // up their leases, HTTP closes after its requests in flight (MainVerticle.drain); then the
        // clients they used, then Vert.x (which leaves the cluster).
        Future<?> drained = main.get() == null ? Future.succeededFuture() : main.get().drain();
        Future<?> down = drained.transform(ar -> deployment.get() == null ? Future.succeededFuture() : vertx.undeploy(deployment.get()));
        down.transform(ar -> graph.get() == null ? Future.succeededFuture() : graph.get().close())
            .toCompletionStage().toCompletableFuture().exceptionally(x -> null).join();
        vertx.close().toCompletionStage().toCompletableFuture().exceptionally(x -> null).join();
        embedded.close();
        stopped.countDown();
      }));
      ServiceGraph.start(vertx, resolved, ServiceGraph.Options.service(), self)
          .onSuccess(graph::set)
          .compose(g -> g.bootstrapAdmin().map(generated -> {
            generated.ifPresent(pw -> System.out.println("Created admin " + resolved.adminEmail()
                + " with password: " + pw + "  (shown once; set PAYOUTS_ADMIN_PASSWORD to choose it)"));
            return g;
          }))
          .compose(g -> {
            main.set(new MainVerticle(g, running));
            return vertx.deployVerticle(main.get());
          })
          .onSuccess(deployment::set)
          .toCompletionStage().toCompletableFuture().get();
      stopped.await();
      return 0;
    } catch (EmbeddedServers.DataDirInUse e) {
      System.err.println("error: cannot start: " + e.getMessage());
      embedded.close();
      return 1;
    } catch (Exception e) {
      System.err.println("error: could not start: " + describe(e, settings));
      embedded.close();
      return 1; // main exits; the shutdown hook closes Vert.x
    }
  }

  /** One line a newcomer can act on. */
  static String describe(Throwable e, Settings s) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
    if (cause instanceof BindException) {
      return "a port is already in use (" + cause.getMessage() + "): HTTP " + s.httpPort()
          + (s.builtInGateway() ? ", built-in gateway " + s.gatewayPort() : "")
          + "; stop what holds it or set PAYOUTS_HTTP_PORT / PAYOUTS_GATEWAY_PORT";
    }
    return e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
  }
}
