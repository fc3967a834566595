package com.payouts.domain;

/** A request the domain refuses, with the kind of refusal so the edge can map it to a status. */
public class DomainException extends RuntimeException {
  /** KEY_REUSED: an idempotency key sent again with a different request. */
  public enum Kind { INVALID, NOT_FOUND, CONFLICT, INSUFFICIENT_FUNDS, NOT_ELIGIBLE, KEY_REUSED }

  private final Kind kind;
  private final String field;

  public DomainException(Kind kind, String field, String message) {
    super(field == null ? message : field + " " + message);
    this.kind = kind;
    this.field = field;
  }

  public static DomainException notFound(String what, Object id) {
    return new DomainException(Kind.NOT_FOUND, null, what + " " + id + " not found");
  }

  public static DomainException conflict(String message) {
    return new DomainException(Kind.CONFLICT, null, message);
  }

  public Kind kind() {
    return kind;
  }

  public String field() {
    return field;
  }
}
