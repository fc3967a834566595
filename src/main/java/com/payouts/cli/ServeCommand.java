package com.payouts.cli;

import com.payouts.app.EmbeddedServers;
import com.payouts.app.MainVerticle;
import com.payouts.app.Role;
import com.payouts.app.ServiceGraph;
import com.payouts.app.Settings;
import io.vertx.core.Future;
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

  @Override
  public Integer call() {
    Settings settings;
    Set<Role> running;
    try {
      settings = CommandRun.settings();
      running = Role.parse(roles);
    } catch (IllegalArgumentException e) { // a bad setting or role list
      System.err.println(e.getMessage());
      return 2;
    }
    EmbeddedServers embedded = new EmbeddedServers("serve");
    try {
      Settings resolved = embedded.ensure(settings, EmbeddedServers.Use.OWN);
      Vertx vertx = Vertx.vertx();
      CountDownLatch stopped = new CountDownLatch(1);
      AtomicReference<ServiceGraph> graph = new AtomicReference<>();
      AtomicReference<String> deployment = new AtomicReference<>();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        // Verticles first (they stop claiming and finish what they hold), then the clients they use,
        // then Vert.x: a processor never sees its Redis client close under a claim in flight.
        Future<?> down = deployment.get() == null ? Future.succeededFuture() : vertx.undeploy(deployment.get());
        down.transform(ar -> graph.get() == null ? Future.succeededFuture() : graph.get().close())
            .toCompletionStage().toCompletableFuture().exceptionally(x -> null).join();
        vertx.close().toCompletionStage().toCompletableFuture().exceptionally(x -> null).join();
        embedded.close();
        stopped.countDown();
      }));
      ServiceGraph.start(vertx, resolved, ServiceGraph.Options.service())
          .onSuccess(graph::set)
          .compose(g -> g.bootstrapAdmin().map(generated -> {
            generated.ifPresent(pw -> System.out.println("Created admin " + resolved.adminEmail()
                + " with password: " + pw + "  (shown once; set PAYOUTS_ADMIN_PASSWORD to choose it)"));
            return g;
          }))
          .compose(g -> vertx.deployVerticle(new MainVerticle(g, running)))
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
