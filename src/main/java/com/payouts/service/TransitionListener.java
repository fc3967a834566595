package com.payouts.service;

import com.payouts.domain.Transition;
import java.util.List;

/** Told of transitions once they are committed; the app wires it to the event bus. */
@FunctionalInterface
public interface TransitionListener {
  TransitionListener NONE = transitions -> {};

  void committed(List<Transition> transitions);
}
