package com.payouts.cli;

import com.payouts.auth.AuthService;
import io.vertx.core.Future;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "token", mixinStandardHelpOptions = true, description = "API tokens.",
    subcommands = TokenCommand.Create.class)
public class TokenCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("usage: token create --name NAME [--expires-in-days DAYS] [--for EMAIL]");
    return 2;
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an API token acting as the configured admin (or, with --for, as that staff user, with"
          + " their role); prints the token alone on standard output.")
  static class Create implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "What the token is for.")
    String name;

    @Option(names = "--expires-in-days", paramLabel = "DAYS",
        description = "How long the token lives: 1 to 365 days (default: 90).")
    Integer expiresInDays;

    @Option(names = "--for", paramLabel = "EMAIL",
        description = "The staff user the token acts as (default: the configured admin).")
    String forEmail;

    @Override
    public Integer call() {
      if (name.isBlank() || name.length() > 100) {
        System.err.println("--name must be 1 to 100 characters");
        return 2;
      }
      if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > AuthService.MAX_TOKEN_DAYS)) {
        System.err.println("--expires-in-days must be 1 to " + AuthService.MAX_TOKEN_DAYS);
        return 2;
      }
      return CommandRun.run("token create", false, graph -> graph.bootstrapAdmin()
          .map(generated -> {
            generated.ifPresent(pw -> System.err.println("Created admin " + graph.settings.adminEmail()
                + " with password: " + pw + "  (shown once)"));
            return generated;
          })
          .compose(x -> graph.auth.createTokenFor(forEmail == null ? graph.settings.adminEmail() : forEmail, name,
              expiresInDays))
          .map(issued -> {
            System.out.println(issued.token());
            return 0;
          }));
    }
  }
}
