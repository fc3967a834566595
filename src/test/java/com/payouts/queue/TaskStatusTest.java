package com.payouts.queue;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The task states keep the names the queue's scripts write and the API shows. */
class TaskStatusTest {
  @Test
  void wireNamesRoundTripAndUnknownIsRefused() {
    assertEquals(List.of("queued", "running", "succeeded", "failed", "dead"),
        List.of(TaskStatus.values()).stream().map(TaskStatus::wire).toList());
    for (TaskStatus t : TaskStatus.values()) assertEquals(t, TaskStatus.parse(t.wire()));
    assertThrows(IllegalArgumentException.class, () -> TaskStatus.parse("finished"));
    assertThrows(IllegalArgumentException.class, () -> TaskStatus.parse("QUEUED"));
  }
}
