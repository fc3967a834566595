package com.payouts.processor;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.app.Role;
import com.payouts.app.ServiceGraph;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.UserAccount;
import com.payouts.metrics.ServiceMetrics;
import com.payouts.support.Await;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestStack;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SIGTERM's drain on a processor node whose gateway calls never answer: past the grace it hands
 * its jobs back at once (nothing stays leased to wait for a lease to lapse), and another node
 * finishes every payout, each paid once.
 */
@ExtendWith(VertxExtension.class)
class GracefulDrainTest {

  @Test
  void aDrainedNodeHandsBackWhatItHoldsAndAnotherNodeFinishesIt(Vertx vertx) {
    ServiceGraph.Node draining = new ServiceGraph.Node("draining",
        new ServiceMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), Duration.ofMillis(300));
    TestStack first = await(TestStack.builder().node(draining).roles(Role.PROCESSOR).start(vertx));
    ScriptedGateway gateway = (ScriptedGateway) first.gateway;
    gateway.then(ScriptedGateway.Step.HANG, ScriptedGateway.Step.HANG, ScriptedGateway.Step.HANG);
    UserAccount user = await(first.f.userWith("100.00"));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long id = await(first.f.request(user.id(), "10.00", PayoutMethod.PAYPAL)).id();
      await(first.graph.dispatcher.approve(id, "admin"));
      ids.add(id);
    }
    Await.eventually(Duration.ofSeconds(10), () -> gateway.payCalls.size() >= 3, "the three calls are hanging");

    await(first.drain());
    assertTrue(first.graph.readiness.draining(), "readiness turned off first");
    assertEquals(0L, await(first.graph.queue.depth()).getLong("inflight"), "nothing left leased to the drained node");

    TestStack second = await(TestStack.builder().nodeOf(first).roles(Role.PROCESSOR).start(vertx));
    try {
      String in = ids.toString().replace('[', '(').replace(']', ')');
      Await.eventually(Duration.ofSeconds(20), () -> await(first.f.count(
          "SELECT count(*) FROM payout_requests WHERE status = 'completed' AND id IN " + in)) == 3,
          "the other node completed all three");
      assertEquals(3, gateway.successfulExecutions(), "each paid once");
    } finally {
      await(second.stop());
      await(first.stop());
    }
  }
}
