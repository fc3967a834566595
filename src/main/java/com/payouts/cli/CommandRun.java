package com.payouts.cli;

import com.payouts.app.EmbeddedServers;
import com.payouts.app.ServiceGraph;
import com.payouts.app.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Runs one command's work on Vert.x from the main thread: settings, the embedded servers (those of
 * a service already running on the same data directory, or its own when none is), the service
 * graph, the work, then a clean shutdown. The main thread only waits.
 */
final class CommandRun {
  private CommandRun() {}

  static Settings settings() {
    return Settings.from(Settings.load(System.getenv()));
  }

  /**
   * Runs {@code work} and returns its exit code; failures print one line and give 1. A command
   * that pays gets a built-in gateway of its own on a free port (unless PAYOUTS_GATEWAY_URL names
   * one), so it never competes with a running service for the service's gateway port.
   */
  static int run(String command, boolean pays, Function<ServiceGraph, Future<Integer>> work) {
    Settings settings;
    try {
      settings = settings();
    } catch (Settings.InvalidSetting e) {
      System.err.println(e.getMessage());
      return 2;
    }
    try (EmbeddedServers embedded = new EmbeddedServers(command)) {
      Settings shared = embedded.ensure(settings, EmbeddedServers.Use.SHARE);
      Settings resolved = pays ? shared.withGatewayPort(0) : shared;
      Vertx vertx = Vertx.vertx();
      try {
        return ServiceGraph.start(vertx, resolved, ServiceGraph.Options.command(pays))
            .compose(graph -> work.apply(graph).eventually(graph::close))
            .toCompletionStage().toCompletableFuture().get();
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get();
      }
    } catch (ExecutionException e) {
      System.err.println("error: " + e.getCause().getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
