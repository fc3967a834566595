package com.payouts.cli;

import com.payouts.app.EmbeddedServers;
import com.payouts.app.Infrastructure;
import com.payouts.app.MainVerticle;
import com.payouts.app.Settings;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the service: HTTP API, processor, retry scheduler, stats and (unless PAYOUTS_GATEWAY_URL is set) the mock gateway.")
public class ServeCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    Settings settings;
    try {
      settings = Session.settings();
    } catch (Settings.InvalidSetting e) {
      System.err.println(e.getMessage());
      return 2;
    }
    EmbeddedServers embedded = new EmbeddedServers("serve");
    try {
      Settings resolved = embedded.ensure(settings, EmbeddedServers.Use.OWN);
      Vertx vertx = Vertx.vertx();
      CountDownLatch stopped = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicReference<Infrastructure> running = new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicReference<String> deployment = new java.util.concurrent.atomic.AtomicReference<>();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        // Verticles first (they stop claiming and finish what they hold), then the clients they use,
        // then Vert.x: a processor never sees its Redis client close under a claim in flight.
        io.vertx.core.Future<?> down = deployment.get() == null ? io.vertx.core.Future.succeededFuture()
            : vertx.undeploy(deployment.get());
        down.transform(ar -> running.get() == null ? io.vertx.core.Future.succeededFuture() : running.get().close())
            .toCompletionStage().toCompletableFuture().exceptionally(x -> null).join();
        vertx.close().toCompletionStage().toCompletableFuture().exceptionally(x -> null).join();
        embedded.close();
        stopped.countDown();
      }));
      Infrastructure.start(vertx, resolved, true)
          .compose(infra -> infra.bootstrapAdmin().map(generated -> {
            running.set(infra);
            generated.ifPresent(pw -> System.out.println("Created admin " + resolved.adminEmail()
                + " with password: " + pw + "  (shown once; set PAYOUTS_ADMIN_PASSWORD to choose it)"));
            return infra;
          }))
          .compose(infra -> vertx.deployVerticle(new MainVerticle(infra)))
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
