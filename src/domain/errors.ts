/**
 * Typed domain errors. The domain throws these; the HTTP layer maps them to HTTP in exactly one
 * table (src/http/error-map.ts), which the JSON API and the pages share.
 */

export interface FieldIssue {
  /** Dotted/indexed path of the offending input, e.g. `split_values[2]`. */
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind:
    | "validation"
    | "rule"
    | "not_found"
    | "conflict"
    | "precondition"
    | "unauthenticated"
    | "forbidden"
    | "gone"
    | "rate_limited";
}

/** An error about particular inputs: each offending field is listed with its message. */
abstract class FieldsError extends DomainError {
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** Input is well-formed but breaks a business rule (HTTP 422). */
export class RuleViolation extends FieldsError {
  readonly kind = "rule";
  override readonly name = "RuleViolation";
}

/**
 * Input the request schema lets through but that is still malformed, e.g. a pagination cursor
 * this API never handed out (HTTP 400, like a schema violation).
 */
export class InvalidInput extends FieldsError {
  readonly kind = "validation";
  override readonly name = "InvalidInput";
}

/** A referenced resource does not exist or is not visible (HTTP 404). */
export class NotFound extends DomainError {
  readonly kind = "not_found";
  constructor(
    readonly resource: string,
    readonly id: string | number,
  ) {
    super(`${resource} ${id} was not found`);
    this.name = "NotFound";
  }
}

/** The request conflicts with current state, e.g. a duplicate email (HTTP 409). */
export class Conflict extends FieldsError {
  readonly kind = "conflict";
  override readonly name = "Conflict";
}

/** The caller is not logged in, or its credentials are wrong or expired (HTTP 401). */
export class Unauthenticated extends DomainError {
  readonly kind = "unauthenticated";
  constructor(message = "Authentication required") {
    super(message);
    this.name = "Unauthenticated";
  }
}

/** A conditional request's precondition (If-Match) does not hold: someone else changed it (HTTP 412). */
export class PreconditionFailed extends DomainError {
  readonly kind = "precondition";
  constructor(message: string) {
    super(message);
    this.name = "PreconditionFailed";
  }
}

/**
 * The caller may see the resource but not do this to it (HTTP 403). Resources the caller may not
 * see at all are NotFound instead, so their ids cannot be probed.
 */
export class Forbidden extends DomainError {
  readonly kind = "forbidden";
  constructor(message: string) {
    super(message);
    this.name = "Forbidden";
  }
}

/** Something that existed is no longer usable, e.g. a used or expired one-time link (HTTP 410). */
export class Gone extends FieldsError {
  readonly kind = "gone";
  override readonly name = "Gone";
}

/** Too many attempts (log-in, sign-up) from one client or against one account (HTTP 429). */
export class RateLimited extends DomainError {
  readonly kind = "rate_limited";
  /** `message` and `issues` say what was limited when "attempts" would not (invitations). */
  constructor(
    readonly retryAfterSeconds: number,
    message?: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message ?? `Too many attempts; try again in ${retryAfterSeconds} seconds`);
    this.name = "RateLimited";
  }
}
