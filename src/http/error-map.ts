import type { FastifyError, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isDatabaseUnavailable, isRetryableTxError } from "../db/errors.js";
import { DomainError, type FieldIssue, RateLimited } from "../domain/errors.js";

/** What an error becomes over HTTP: the same for the JSON API and the pages (only the look differs). */
export interface ProblemFor {
  status: number;
  /** The problem type's last segment (README "Errors"). */
  slug: string;
  title: string;
  /** Safe to show: never a stack or an internal message. */
  detail: string;
  errors?: FieldIssue[];
  headers?: Record<string, string>;
  /** How the error is logged: expected client errors are not. */
  log?: { level: "warn" | "error"; message: string };
}

/** THE table from domain error kind to HTTP status, problem type and title. */
export const DOMAIN_PROBLEMS = {
  validation: { status: 400, slug: "validation-error", title: "Request validation failed" },
  unauthenticated: { status: 401, slug: "unauthenticated", title: "Authentication required" },
  forbidden: { status: 403, slug: "forbidden", title: "Forbidden" },
  not_found: { status: 404, slug: "not-found", title: "Not found" },
  conflict: { status: 409, slug: "conflict", title: "Conflict" },
  gone: { status: 410, slug: "gone", title: "Gone" },
  precondition: { status: 412, slug: "precondition-failed", title: "Precondition failed" },
  rule: { status: 422, slug: "rule-violation", title: "Business rule violated" },
  rate_limited: { status: 429, slug: "too-many-requests", title: "Too many requests" },
} as const satisfies Record<DomainError["kind"], { status: number; slug: string; title: string }>;

/** Fastify's, our body parser's and the CSRF check's client errors, by code. */
const CLIENT_ERRORS: Record<string, { slug: string; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { slug: "payload-too-large", title: "Request body too large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    slug: "unsupported-media-type",
    title: "Unsupported media type",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { slug: "malformed-request", title: "Malformed request" },
  FST_ERR_CTP_INVALID_JSON_BODY: { slug: "malformed-request", title: "Malformed request" },
  EVL_MALFORMED_JSON: { slug: "malformed-request", title: "Malformed request" },
  FST_CSRF_INVALID_TOKEN: { slug: "form-expired", title: "Form expired" },
  FST_CSRF_MISSING_SECRET: { slug: "form-expired", title: "Form expired" },
};

/** `/split_values/2` in `body` → `split_values[2]`; query and path fields keep their name. */
function fieldOf(path: string, extraKey?: string): string {
  const parts = path.split("/").filter(Boolean);
  if (extraKey) parts.push(extraKey);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
}

function validationIssues(err: FastifyError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const v of err.validation ?? []) {
    const params = v.params as { keys?: string[] } | undefined;
    if (v.keyword === "unrecognized_keys" && params?.keys) {
      for (const k of params.keys)
        issues.push({ field: fieldOf(v.instancePath, k), message: "is not a known field" });
    } else {
      issues.push({
        field: fieldOf(v.instancePath) || (err.validationContext ?? ""),
        message: v.message ?? "is invalid",
      });
    }
  }
  return issues;
}

/** A typed domain error's problem: status, type and title from the table, its message and issues. */
export function domainProblem(err: DomainError): ProblemFor {
  const issues = "issues" in err ? (err.issues as FieldIssue[]) : [];
  const headers: Record<string, string> = {};
  if (err.kind === "unauthenticated") headers["www-authenticate"] = 'Bearer realm="evenly"';
  if (err instanceof RateLimited) headers["retry-after"] = String(err.retryAfterSeconds);
  return {
    ...DOMAIN_PROBLEMS[err.kind],
    detail: err.message,
    ...(issues.length > 0 ? { errors: issues } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
}

/** 503: the database cannot answer now; the client may retry after `retryAfter` seconds. */
const unavailable = (why: string, retryAfter: string, logMessage: string): ProblemFor => ({
  status: 503,
  slug: "service-unavailable",
  title: "Service unavailable",
  detail: `The database is ${why}; please retry shortly.`,
  headers: { "retry-after": retryAfter },
  log: { level: "warn", message: logMessage },
});

/**
 * The ONE mapping from any error to HTTP: typed domain errors by the table, request-shape errors
 * to 400, an unreachable or too busy database to 503, Fastify's client errors to their own 4xx;
 * anything else is a 500 whose details are logged, never sent.
 */
export function problemFor(err: unknown, request: FastifyRequest): ProblemFor {
  if (err instanceof DomainError) return domainProblem(err);
  const e = (err ?? {}) as FastifyError;
  if (hasZodFastifySchemaValidationErrors(e)) {
    // No body at all (an empty one is accepted as none, json-body.ts): say so plainly.
    const missingBody = e.validationContext === "body" && request.body == null;
    return {
      ...DOMAIN_PROBLEMS.validation,
      detail: missingBody
        ? "This request needs a JSON body"
        : `The request ${e.validationContext ?? "input"} does not match the schema`,
      errors: missingBody ? [{ field: "body", message: "is required" }] : validationIssues(e),
    };
  }
  if (isDatabaseUnavailable(err)) return unavailable("unreachable", "5", "database unavailable");
  // Only after TX_MAX_RETRIES retries of a deadlock or serialization failure: retry later.
  if (isRetryableTxError(err)) return unavailable("busy", "1", "transaction retries exhausted");
  const known = typeof e.code === "string" ? CLIENT_ERRORS[e.code] : undefined;
  const status = typeof e.statusCode === "number" ? e.statusCode : 500;
  if (known || (status >= 400 && status < 500))
    return {
      status,
      slug: known?.slug ?? "bad-request",
      title: known?.title ?? "Bad request",
      detail: e.message,
    };
  return {
    status: 500,
    slug: "internal-error",
    title: "Internal server error",
    detail: "Something went wrong on our side; the request id helps us find it.",
    log: { level: "error", message: "unhandled error" },
  };
}
