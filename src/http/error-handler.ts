import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isDatabaseUnavailable, isRetryableTxError } from "../db/errors.js";
import { DomainError, type FieldIssue, RateLimited } from "../domain/errors.js";
import { sendProblem } from "./problem.js";

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

/** Fastify's own and our body parser's client errors, by code, as problem slugs and titles. */
const fastifyClientErrors: Record<string, { slug: string; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { slug: "payload-too-large", title: "Request body too large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    slug: "unsupported-media-type",
    title: "Unsupported media type",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { slug: "malformed-request", title: "Malformed request" },
  FST_ERR_CTP_INVALID_JSON_BODY: { slug: "malformed-request", title: "Malformed request" },
  EVL_MALFORMED_JSON: { slug: "malformed-request", title: "Malformed request" },
};

/**
 * The one place where errors become HTTP responses: typed domain errors map to their status,
 * request-shape errors to 400, an unreachable database to 503; anything else is a 500 whose
 * details are logged, never sent.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      // No body at all (an empty one is accepted as none, json-body.ts): say so plainly.
      const missingBody = err.validationContext === "body" && request.body == null;
      return sendProblem(request, reply, {
        slug: "validation-error",
        title: "Request validation failed",
        status: 400,
        detail: missingBody
          ? "This request needs a JSON body"
          : `The request ${err.validationContext ?? "input"} does not match the schema`,
        errors: missingBody ? [{ field: "body", message: "is required" }] : validationIssues(err),
      });
    }
    if (err instanceof DomainError) {
      const map = {
        rule: { status: 422, slug: "rule-violation", title: "Business rule violated" },
        validation: { status: 400, slug: "validation-error", title: "Request validation failed" },
        not_found: { status: 404, slug: "not-found", title: "Not found" },
        conflict: { status: 409, slug: "conflict", title: "Conflict" },
        precondition: { status: 412, slug: "precondition-failed", title: "Precondition failed" },
        forbidden: { status: 403, slug: "forbidden", title: "Forbidden" },
        rate_limited: { status: 429, slug: "too-many-requests", title: "Too many requests" },
        unauthenticated: { status: 401, slug: "unauthenticated", title: "Authentication required" },
      } as const;
      const m = map[err.kind];
      if (err.kind === "unauthenticated") reply.header("www-authenticate", 'Bearer realm="evenly"');
      if (err instanceof RateLimited) reply.header("retry-after", String(err.retryAfterSeconds));
      const errors = "issues" in err ? (err.issues as FieldIssue[]) : undefined;
      return sendProblem(request, reply, {
        ...m,
        detail: err.message,
        ...(errors && errors.length > 0 ? { errors } : {}),
      });
    }
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err }, "database unavailable");
      reply.header("retry-after", "5");
      return sendProblem(request, reply, {
        slug: "service-unavailable",
        title: "Service unavailable",
        status: 503,
        detail: "The database is unreachable; please retry shortly.",
      });
    }
    if (isRetryableTxError(err)) {
      // Only after TX_MAX_RETRIES retries of a deadlock or serialization failure: retry later.
      request.log.warn({ err }, "transaction retries exhausted");
      reply.header("retry-after", "1");
      return sendProblem(request, reply, {
        slug: "service-unavailable",
        title: "Service unavailable",
        status: 503,
        detail: "The database is busy; please retry shortly.",
      });
    }
    const known = fastifyClientErrors[err.code];
    const status = err.statusCode ?? 500;
    if (known || (status >= 400 && status < 500)) {
      return sendProblem(request, reply, {
        slug: known?.slug ?? "bad-request",
        title: known?.title ?? "Bad request",
        status,
        detail: err.message,
      });
    }
    request.log.error({ err }, "unhandled error");
    return sendProblem(request, reply, {
      slug: "internal-error",
      title: "Internal server error",
      status: 500,
      detail: "Something went wrong on our side; the request id helps us find it.",
    });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, {
      slug: "not-found",
      title: "Not found",
      status: 404,
      detail: `No route ${request.method} ${request.url.split("?")[0]}`,
    }),
  );
}
