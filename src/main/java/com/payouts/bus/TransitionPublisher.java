package com.payouts.bus;

import com.payouts.domain.Transition;
import com.payouts.service.TransitionListener;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** Publishes each committed transition on {@link Addresses#PAYOUT_TRANSITIONS}. */
public final class TransitionPublisher implements TransitionListener {
  private final EventBus bus;

  public TransitionPublisher(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public void committed(List<Transition> transitions) {
    for (Transition t : transitions) bus.publish(Addresses.PAYOUT_TRANSITIONS, TransitionMessage.toJson(t));
  }
}
