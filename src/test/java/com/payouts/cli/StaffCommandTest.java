package com.payouts.cli;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The staff command's own checks, which answer before anything connects. */
class StaffCommandTest {
  @Test
  void anUnknownRoleOrAMissingOptionIsRefused() {
    assertEquals(2, new CommandLine(new StaffCommand()).execute("create", "--email", "a@example.com", "--name", "A",
        "--role", "boss"));
    assertNotEquals(0, new CommandLine(new StaffCommand()).execute("create", "--email", "a@example.com", "--name", "A"));
  }
}
