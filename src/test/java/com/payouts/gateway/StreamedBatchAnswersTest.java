package com.payouts.gateway;

import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The batch API's streamed answer, written line by line by the test: each payment is answered as
 * soon as its own line arrives, whatever the others are waiting for, and a payment with no line
 * by the end of the answer is unknown.
 */
@ExtendWith(VertxExtension.class)
class StreamedBatchAnswersTest {
  HttpServer server;
  HttpPaymentGateway client;
  final List<String> accepts = new CopyOnWriteArrayList<>();
  final Promise<HttpServerResponse> open = Promise.promise();

  @BeforeEach
  void start(Vertx vertx) {
    server = await(vertx.createHttpServer().requestHandler(req -> {
      accepts.add(String.valueOf(req.getHeader("Accept")));
      req.body().onSuccess(b -> {
        HttpServerResponse res = req.response().setChunked(true).putHeader("content-type", GatewayJson.STREAM_TYPE);
        res.write(HttpPaymentGatewayTest.paid(1).put("item", 1).encode() + "\n");
        open.complete(res);
      });
    }).listen(0, "127.0.0.1"));
    client = new HttpPaymentGateway(vertx, "http://127.0.0.1:" + server.actualPort(), Duration.ofSeconds(5),
        "the-api-key-0123456789", 4);
  }

  @AfterEach
  void stop() {
    client.close();
    await(server.close());
  }

  @Test
  void eachPaymentIsAnsweredWhenItsOwnLineArrives() {
    List<PaymentInstruction> batch = new ArrayList<>();
    for (int i = 0; i < 4; i++) batch.add(HttpPaymentGatewayTest.instruction(i));
    List<Future<GatewayResult>> each = client.payEach(batch);
    assertEquals(4, each.size());

    assertEquals("po_1", await(each.get(1)).transactionId(), "the first line answers its item at once");
    HttpServerResponse res = await(open.future());
    assertFalse(each.get(0).isComplete(), "the others still wait for their own lines");
    assertEquals(List.of(GatewayJson.STREAM_TYPE), accepts);

    res.write(new JsonObject().put("item", 9).put("status", "succeeded").encode() + "\n"); // no such item
    res.write(new JsonObject().put("item", 2).put("idempotencyKey", "k2").put("status", "pending").encode() + "\n");
    res.write(HttpPaymentGatewayTest.paid(0).put("item", 0).encode() + "\n");
    assertEquals("po_0", await(each.get(0)).transactionId());
    eventually(Duration.ofSeconds(5), () -> each.get(2).isComplete(), "a pending item is answered as unknown");
    assertInstanceOf(GatewayUnavailableException.class, each.get(2).cause());
    assertFalse(each.get(3).isComplete());

    res.end(); // item 3 never had a line
    eventually(Duration.ofSeconds(5), () -> each.get(3).isComplete(), "the end of the answer settles the rest");
    assertInstanceOf(GatewayUnavailableException.class, each.get(3).cause());
  }
}
