package com.payouts.loadtest;

/**
 * A payout seen in a terminal state, with the server's timestamps in epoch microseconds.
 * {@code terminalEvents} counts its audit events into completed or failed, or is -1 when the way
 * of looking does not see them (they are then counted at the end).
 */
public record TerminalState(long id, boolean completed, long approvedMicros, long terminalMicros, int terminalEvents) {}
