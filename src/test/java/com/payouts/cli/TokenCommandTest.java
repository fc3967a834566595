package com.payouts.cli;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The token command's own checks, which answer before anything connects. */
class TokenCommandTest {
  @Test
  void expiresInDaysOutsideOneToAYearIsRefused() {
    for (String days : new String[] {"0", "366", "-5"}) {
      assertEquals(2, new CommandLine(new TokenCommand()).execute("create", "--name", "ci", "--expires-in-days", days), days);
    }
    assertNotEquals(0, new CommandLine(new TokenCommand()).execute("create", "--name", "ci", "--expires-in-days", "soon"));
  }
}
