package com.payouts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.payouts.domain.PayoutStatus;
import com.payouts.service.PayoutDispatcher.BatchResult;
import com.payouts.service.PayoutDispatcher.ItemResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed batch results become the JSON the API has always sent, field for field and in order. */
class PayoutJsonTest {
  @Test
  void aBatchResultIsEncodedAsBefore() {
    BatchResult b = new BatchResult("task-1", List.of(
        new ItemResult(7, true, PayoutStatus.APPROVED, null),
        new ItemResult(8, false, null, "not found"),
        new ItemResult(9, false, null, "cannot approve: it is completed, not pending")));
    assertEquals("{\"taskId\":\"task-1\",\"results\":[{\"id\":7,\"ok\":true,\"status\":\"approved\"},"
        + "{\"id\":8,\"ok\":false,\"error\":\"not found\"},"
        + "{\"id\":9,\"ok\":false,\"error\":\"cannot approve: it is completed, not pending\"}]}",
        PayoutJson.batch(b).encode());
  }
}
