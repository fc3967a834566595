package com.payouts.cli;

import com.payouts.queue.JobQueue;
import io.vertx.core.Future;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "jobs", mixinStandardHelpOptions = true, description = "The job queue's dead letters.",
    subcommands = {JobsCommand.Dead.class, JobsCommand.Requeue.class, JobsCommand.Delete.class})
public class JobsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("use: jobs dead | jobs requeue ID | jobs delete ID");
    return 2;
  }

  /** Runs {@code action} on the dead job {@code id}: 0 and "{@code done} ID" when it was there, 1 when not. */
  static Integer onDeadJob(String command, String id, String done, BiFunction<JobQueue, String, Future<Boolean>> action) {
    return CommandRun.run(command, false, graph -> action.apply(graph.queue, id).map(found -> {
      System.out.println(found ? done + " " + id : "no dead job " + id);
      return found ? 0 : 1;
    }));
  }

  @Command(name = "dead", mixinStandardHelpOptions = true, description = "List dead jobs, newest first.")
  static class Dead implements Callable<Integer> {
    @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).")
    int limit;

    @Override
    public Integer call() {
      return CommandRun.run("jobs dead", false, graph -> graph.queue.deadLetterDetails(limit).map(dead -> {
        if (dead.isEmpty()) System.out.println("no dead jobs");
        for (JobQueue.DeadLetter d : dead) {
          Object payout = d.job().payload().getValue("payoutId", d.job().payload().getValue("payoutIds"));
          System.out.println(d.job().id() + "  " + d.job().type() + "  payout " + payout + "  attempts "
              + d.job().attempts() + "/" + d.job().maxAttempts() + "  died " + d.diedAt() + "  " + d.error());
        }
        return 0;
      }));
    }
  }

  @Command(name = "requeue", mixinStandardHelpOptions = true, description = "Put a dead job back on its queue, attempts reset.")
  static class Requeue implements Callable<Integer> {
    @Parameters(index = "0", description = "The job's id (from jobs dead).")
    String id;

    @Override
    public Integer call() {
      return onDeadJob("jobs requeue", id, "requeued", JobQueue::requeueDead);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Drop a dead job for good.")
  static class Delete implements Callable<Integer> {
    @Parameters(index = "0", description = "The job's id (from jobs dead).")
    String id;

    @Override
    public Integer call() {
      return onDeadJob("jobs delete", id, "deleted", JobQueue::deleteDead);
    }
  }
}
