import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { DomainError, type FieldIssue, NotFound } from "../../domain/errors.js";
import type { AppContext } from "../../services/context.js";
import { domainProblem, problemFor } from "../error-map.js";
import { loginUrl } from "./local-path.js";
import { render } from "./views.js";

/** How a problem type reads on a page; the status always comes from the shared table. */
const PAGE_WORDING: Record<string, { heading: string; message?: string }> = {
  "not-found": {
    heading: "Not found",
    message: "That page or record does not exist, or was deleted.",
  },
  "validation-error": {
    heading: "Bad request",
    message: "The address or form was not understood.",
  },
  "malformed-request": {
    heading: "Bad request",
    message: "The address or form was not understood.",
  },
  "bad-request": { heading: "Bad request", message: "The address or form was not understood." },
  forbidden: { heading: "Not allowed" },
  "form-expired": {
    heading: "Form expired",
    message: "Your form expired or came from elsewhere; reload the page and try again.",
  },
  "unsupported-media-type": {
    heading: "Not a web form",
    message:
      "This form must be sent as a web form (application/x-www-form-urlencoded), as the page sends it; reload the page and try again.",
  },
  "service-unavailable": { heading: "Try again shortly" },
  "internal-error": { heading: "Something went wrong" },
};

/**
 * A page address is the id: one that cannot be an id (`/app/expenses/abc`, `…/1.5`, beyond a
 * database integer) names no page, so it is a 404 like an unknown record, not a 400.
 */
const isBadAddress = (err: unknown) =>
  hasZodFastifySchemaValidationErrors(err) && err.validationContext === "params";

export function showErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
  err: unknown,
): Promise<FastifyReply> | FastifyReply {
  const cause = isBadAddress(err) ? new NotFound("page", request.url.split("?")[0] ?? "") : err;
  const p = problemFor(cause, request);
  if (p.log) request.log[p.log.level]({ err }, `page: ${p.log.message}`);
  // A page that needs a log-in sends the browser there (and back afterwards).
  if (cause instanceof DomainError && cause.kind === "unauthenticated")
    return reply.redirect(loginUrl(request.url), 303);
  for (const [name, value] of Object.entries(p.headers ?? {})) reply.header(name, value);
  const wording = PAGE_WORDING[p.slug] ?? { heading: p.title };
  const message =
    p.slug === "internal-error"
      ? `Please retry; request id ${request.id}.`
      : (wording.message ?? p.detail);
  return render(
    request,
    reply,
    ctx,
    "error",
    { title: wording.heading, heading: wording.heading, message },
    p.status,
  );
}

/** Page errors are HTML pages with the status the JSON API gives the same error. */
export function usePageErrors(app: FastifyInstance, ctx: AppContext): void {
  app.setErrorHandler(async (err: FastifyError, request, reply) =>
    showErrorPage(request, reply, ctx, err),
  );
}

/** A domain error a form shows as messages next to its fields, with the table's status. */
export function formFailure(
  err: unknown,
  reply: FastifyReply,
): { status: number; issues: FieldIssue[] } {
  // Anything else (a bug, the database) goes on to the error page.
  if (!(err instanceof DomainError)) throw err;
  const p = domainProblem(err);
  for (const [name, value] of Object.entries(p.headers ?? {})) reply.header(name, value);
  return { status: p.status, issues: p.errors ?? [{ field: "", message: err.message }] };
}
