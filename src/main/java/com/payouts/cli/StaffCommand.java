package com.payouts.cli;

import com.payouts.auth.StaffRole;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "staff", mixinStandardHelpOptions = true, description = "Staff users.",
    subcommands = StaffCommand.Create.class)
public class StaffCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("usage: staff create --email E --name N --role admin|operator|viewer");
    return 2;
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a staff user with a generated password, printed once on standard output.")
  static class Create implements Callable<Integer> {
    @Option(names = "--email", required = true, description = "Their sign-in email.")
    String email;

    @Option(names = "--name", required = true, description = "Their name.")
    String name;

    @Option(names = "--role", required = true, description = "admin, operator or viewer.")
    String role;

    @Override
    public Integer call() {
      StaffRole r;
      try {
        r = StaffRole.parse(role);
      } catch (IllegalArgumentException e) {
        System.err.println("--role " + e.getMessage());
        return 2;
      }
      return CommandRun.run("staff create", false, graph -> graph.auth.createStaff(email, name, r, null)
          .map(created -> {
            System.err.println("Created " + created.member().role().wire() + " " + created.member().email()
                + " (id " + created.member().id() + "); their password, shown once:");
            System.out.println(created.password());
            return 0;
          }));
    }
  }
}
