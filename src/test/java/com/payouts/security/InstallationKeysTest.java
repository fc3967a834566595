package com.payouts.security;

import com.payouts.support.TestStack;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.db.InstallationRepository;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.ScriptedGateway.Step;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gateway keys are namespaced by an installation id kept in Postgres: two installations (two
 * databases, whose payout ids both start at 1) never ask under the same key, and one installation
 * asks under the same keys across restarts (new processes, same database).
 */
@ExtendWith(VertxExtension.class)
class InstallationKeysTest {
  TestDatabase one;
  TestDatabase two;

  static Vertx vertx;

  @BeforeEach
  void start(Vertx v) {
    vertx = v;
    one = await(TestDatabase.create(vertx));
    two = await(TestDatabase.create(vertx));
  }

  @AfterEach
  void stop() {
    await(Future.join(one.drop(), two.drop()));
  }

  /** A fresh process's services over {@code db}: nothing is shared with an earlier one but the database. */
  static Payout paidPayout(TestDatabase db) {
    TestStack process = await(TestStack.builder().over(db).start(vertx));
    try {
      Fixtures f = process.f;
      long user = await(f.userWith("100.00")).id();
      Payout p = await(f.approved(user, "10.00", PayoutMethod.STRIPE_BANK));
      await(f.payouts.process(List.of(p.id()), "processor"));
      return await(f.payouts.repository().find(p.id())).orElseThrow();
    } finally {
      await(process.stop());
    }
  }

  static Pool freshPool(Vertx vertx, TestDatabase db) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(PgConnectOptions.fromUri(db.url()))
        .using(vertx).build();
  }

  @Test
  void twoInstallationsNeverShareAKeyAndOneKeepsItsKeysAcrossRestarts(Vertx vertx) {
    Payout a = paidPayout(one);
    Payout b = paidPayout(two);
    assertEquals(a.id(), b.id(), "both databases start their ids at the same number");
    assertEquals(PayoutStatus.COMPLETED, a.status());
    assertNotEquals(a.gatewayKey(), b.gatewayKey(), "yet their keys differ");
    assertNotEquals(Payout.legacyGatewayKey(a.id(), 0), a.gatewayKey());

    String idOne = await(new InstallationRepository(one.pool()).installationId());
    String idTwo = await(new InstallationRepository(two.pool()).installationId());
    assertNotEquals(idOne, idTwo);
    assertEquals(Payout.gatewayKey(idOne, a.id(), 0), a.gatewayKey());
    assertTrue(a.gatewayKey().contains(idOne));

    // A restart: new pools, new repositories, the same database: the same installation and keys.
    Pool restarted = freshPool(vertx, one);
    try {
      assertEquals(idOne, await(new InstallationRepository(restarted).installationId()));
      Payout next = paidPayout(one);
      assertEquals(Payout.gatewayKey(idOne, next.id(), 0), next.gatewayKey());
      assertEquals(await(new InstallationRepository(one.pool()).generatedGatewayApiKey()),
          await(new InstallationRepository(restarted).generatedGatewayApiKey()), "the gateway's API key too");
    } finally {
      await(restarted.close());
    }
    assertNotEquals(await(new InstallationRepository(one.pool()).generatedGatewayApiKey()),
        await(new InstallationRepository(two.pool()).generatedGatewayApiKey()));
  }

  @Test
  void processesStartingAtOnceAgreeOnOneInstallationId(Vertx vertx) {
    // Ten "processes" (own pools, own repositories) ask at the same moment on a fresh database.
    List<Pool> pools = new ArrayList<>();
    List<Future<String>> ids = new ArrayList<>();
    List<Future<String>> keys = new ArrayList<>();
    for (int i = 0; i < 10; i++) pools.add(freshPool(vertx, two));
    for (Pool p : pools) {
      ids.add(new InstallationRepository(p).installationId());
      keys.add(new InstallationRepository(p).generatedGatewayApiKey());
    }
    await(Future.all(ids));
    await(Future.all(keys));
    Set<String> distinctIds = new HashSet<>();
    Set<String> distinctKeys = new HashSet<>();
    ids.forEach(f -> distinctIds.add(f.result()));
    keys.forEach(f -> distinctKeys.add(f.result()));
    assertEquals(1, distinctIds.size(), distinctIds::toString);
    assertEquals(1, distinctKeys.size());
    assertTrue(distinctIds.iterator().next().matches("[0-9a-f]{24}"), distinctIds::toString);
    assertEquals(2L, await(two.pool().query("SELECT count(*) FROM installation_settings").execute())
        .iterator().next().getLong(0));
    pools.forEach(p -> await(p.close()));
  }

  @Test
  void aRetryIsANewAttemptUnderANewKeyOfTheSameInstallation() {
    ScriptedGateway gw = new ScriptedGateway(one.pool()).then(Step.DECLINE_RETRYABLE, Step.SUCCEED);
    TestStack process = await(TestStack.builder().over(one).gateway(pool -> gw).start(vertx));
    Fixtures f = process.f;
    long user = await(f.userWith("100.00")).id();
    Payout p = await(f.approved(user, "10.00", PayoutMethod.STRIPE_BANK));
    await(f.payouts.process(List.of(p.id()), "processor"));
    assertEquals(f.gatewayKey(p.id(), 0), await(f.payouts.repository().find(p.id())).orElseThrow().gatewayKey());
    await(f.payouts.retry(List.of(p.id()), "admin", false));
    Payout done = await(f.payouts.repository().find(p.id())).orElseThrow();
    assertEquals(PayoutStatus.COMPLETED, done.status());
    assertEquals(f.gatewayKey(p.id(), 1), done.gatewayKey(), "the key it was paid under");
    assertEquals(List.of(f.gatewayKey(p.id(), 0), f.gatewayKey(p.id(), 1)), gw.payCalls);
    await(process.stop());
  }
}
