package com.payouts.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;

/** A node without the http role still answers /health and /metrics on its HTTP port, nothing else. */
public class OpsVerticle extends VerticleBase {
  private final int port;
  private final OpsRoutes routes;
  private HttpServer server;

  public OpsVerticle(int port, OpsRoutes routes) {
    this.port = port;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    routes.mount(router);
    return vertx.createHttpServer().requestHandler(router).listen(port).onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(2, TimeUnit.SECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
