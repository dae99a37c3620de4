/** Helpers to recognise PostgreSQL errors through driver and ORM wrappers (error.cause chains). */

function* causes(err: unknown): Generator<Record<string, unknown>> {
  let cur: unknown = err;
  for (let depth = 0; cur && typeof cur === "object" && depth < 5; depth++) {
    yield cur as Record<string, unknown>;
    cur = (cur as { cause?: unknown }).cause;
  }
}

/** The SQLSTATE of the first PostgreSQL error in the chain, if any. */
export function pgErrorCode(err: unknown): string | undefined {
  for (const e of causes(err)) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  for (const e of causes(err)) {
    if (typeof e.constraint === "string") return e.constraint;
  }
  return undefined;
}

/** Serialization failure or deadlock: the whole transaction may safely be retried. */
export function isRetryableTxError(err: unknown): boolean {
  const code = pgErrorCode(err);
  return code === "40001" || code === "40P01";
}

const unavailableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"]);

/**
 * The database cannot be reached right now (connection refused, server shutting down, no answer
 * within the client-side query timeout, …).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    const code = e.code;
    if (typeof code === "string") {
      if (unavailableCodes.has(code)) return true;
      // 08xxx connection exceptions, 57P01-57P03 admin shutdown / crash / cannot connect now.
      if (/^08...$/.test(code) || /^57P0[1-3]$/.test(code)) return true;
    }
    const msg = typeof e.message === "string" ? e.message : "";
    if (
      /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Query read timeout/.test(
        msg,
      )
    )
      return true;
  }
  return false;
}
