package com.payouts.cli;

import com.payouts.app.ServiceGraph;
import com.payouts.mockgateway.MockGatewayVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "Run only the mock payment gateway (PAYOUTS_GATEWAY_PORT), recording executions in Postgres;"
        + " it requires PAYOUTS_GATEWAY_API_KEY, or the key generated for the database.")
public class GatewayCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return CommandRun.run("gateway", false, graph -> {
      // The key of the database (or the configured one): the services on this database send the same.
      MockGatewayVerticle gateway = new MockGatewayVerticle(
          ServiceGraph.mockConfig(graph.settings, graph.gatewayApiKey, graph.webhookSecret), graph.pool);
      Promise<Integer> never = Promise.promise();
      return graph.vertx.deployVerticle(gateway).compose(id -> {
        System.out.println("mock gateway listening on port " + gateway.actualPort());
        return never.future();
      });
    });
  }
}
