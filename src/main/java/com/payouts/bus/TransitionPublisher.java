package com.payouts.bus;

import com.payouts.domain.Transition;
import com.payouts.service.TransitionListener;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * Publishes each committed transition on {@link Addresses#PAYOUT_TRANSITIONS}, to every node of a
 * cluster, marked with the node that committed it.
 */
public final class TransitionPublisher implements TransitionListener {
  private final EventBus bus;
  private final String node;

  public TransitionPublisher(EventBus bus, String node) {
    this.bus = bus;
    this.node = node;
  }

  @Override
  public void committed(List<Transition> transitions) {
    for (Transition t : transitions) bus.publish(Addresses.PAYOUT_TRANSITIONS, TransitionMessage.toJson(t).put("node", node));
  }
}
