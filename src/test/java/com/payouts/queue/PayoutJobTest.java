package com.payouts.queue;

import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.Priority;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The typed jobs keep the wire format of the queue: type names and payload fields, both ways. */
class PayoutJobTest {
  @Test
  void eachJobHasItsOldTypeAndPayload() {
    assertWire(new PayoutJob.ProcessPayout(5), "process_single_payout", "{\"payoutId\":5}");
    assertWire(new PayoutJob.ResumePayout(5, Duration.ofSeconds(90)), "process_single_payout",
        "{\"payoutId\":5,\"resumeAfterMs\":90000}");
    assertWire(new PayoutJob.ProcessBatch(List.of(3L, 1L, 2L)), "batch_process_payouts", "{\"payoutIds\":[3,1,2]}");
    assertWire(new PayoutJob.RetryPayout(7, true), "retry_failed_payout", "{\"payoutId\":7,\"manual\":true}");
    assertWire(new PayoutJob.RetryPayout(7, false), "retry_failed_payout", "{\"payoutId\":7,\"manual\":false}");
    assertWire(new PayoutJob.RetrySweep(), "auto_retry_failed_payouts", "{}");
  }

  private static void assertWire(PayoutJob job, String type, String payload) {
    assertEquals(type, job.type(), job.toString());
    assertEquals(payload, job.toJson().encode(), job.toString());
    assertEquals(Optional.of(job), PayoutJob.fromJson(type, new JsonObject(payload)), "read back: " + payload);
  }

  @Test
  void payloadsAsQueuedBeforeAreRead() {
    assertEquals(Optional.of(new PayoutJob.RetryPayout(9, false)),
        PayoutJob.fromJson("retry_failed_payout", new JsonObject().put("payoutId", 9)), "manual defaults to false");
    assertEquals(Optional.of(new PayoutJob.ProcessBatch(List.of())),
        PayoutJob.fromJson("batch_process_payouts", new JsonObject()), "no ids: an empty batch");
    assertEquals(Optional.of(new PayoutJob.ProcessPayout(4)),
        PayoutJob.fromJson("process_single_payout", new JsonObject().put("payoutId", 4L).put("extra", "ignored")));
    assertEquals(Optional.empty(), PayoutJob.fromJson("send_newsletter", new JsonObject()), "an unknown type");
    assertThrows(IllegalArgumentException.class, () -> PayoutJob.fromJson("process_single_payout", new JsonObject()));
    assertThrows(IllegalArgumentException.class,
        () -> PayoutJob.fromJson("batch_process_payouts", new JsonObject("{\"payoutIds\":[1,\"x\"]}")));
  }

  @Test
  void theFactoriesQueueWhatTheyAlwaysDid() {
    assertJob(PayoutJobs.process(5, Priority.URGENT), "process_single_payout", "{\"payoutId\":5}", Priority.URGENT, 5);
    assertJob(PayoutJobs.resume(5, Duration.ZERO), "process_single_payout", "{\"payoutId\":5,\"resumeAfterMs\":0}",
        Priority.HIGH, 5);
    assertJob(PayoutJobs.retry(6, true, Priority.LOW), "retry_failed_payout", "{\"payoutId\":6,\"manual\":true}",
        Priority.LOW, 5);
    assertJob(PayoutJobs.batch(List.of(1L, 2L)), "batch_process_payouts", "{\"payoutIds\":[1,2]}", Priority.HIGH, 5);
    assertJob(PayoutJobs.autoRetrySweep(), "auto_retry_failed_payouts", "{}", Priority.NORMAL, 1);
  }

  private static void assertJob(Job j, String type, String payload, Priority priority, int maxAttempts) {
    assertEquals(type, j.type());
    assertEquals(payload, j.payload().encode());
    assertEquals(priority, j.priority());
    assertEquals(maxAttempts, j.maxAttempts());
    assertEquals(0, j.attempts());
    assertNull(j.dueAt());
  }
}
