package com.payouts.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** java -jar payouts.jar [command]; without one, it serves. */
@Command(name = "payouts.jar", mixinStandardHelpOptions = true, version = "payouts 0.1",
    description = "Payout management service. Without a command it runs `serve`.",
    subcommands = {ServeCommand.class, MigrateCommand.class, SeedCommand.class, ProcessPayoutsCommand.class,
        VerifyLedgerCommand.class, GatewayCommand.class, TokenCommand.class, StaffCommand.class, LoadtestCommand.class,
        ReconcileCommand.class, JobsCommand.class})
public class PayoutsCommand implements java.util.concurrent.Callable<Integer> {

  @Override
  public Integer call() {
    return new ServeCommand().call();
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new PayoutsCommand()).execute(args));
  }
}
