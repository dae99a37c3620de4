import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { DomainError, type FieldIssue } from "../../domain/errors.js";
import type { AppContext } from "../../services/context.js";
import {
  requestPasswordReset,
  resetLinkUser,
  resetPassword,
} from "../../services/password-reset.js";
import { endSession } from "../auth/page-session.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { ResetEmail } from "../schemas/auth.js";
import { placeAccountIssues as place } from "./account-forms.js";
import { formFailure } from "./error-pages.js";
import { redirectWithFlash } from "./flash.js";
import { fieldIssues, formOf, one } from "./forms.js";
import { DEFAULT_PAGE } from "./local-path.js";
import { OptionalTextQuery, pageQuery } from "./page-schemas.js";
import { render } from "./views.js";

/** A link that cannot be used: unknown (400) or used/expired (410); the form is not shown. */
const isDeadLink = (err: unknown): err is DomainError =>
  err instanceof DomainError && (err.kind === "gone" || err.kind === "validation");

/** "Forgot password": ask for a link by email, then set a new password with it. */
export const passwordResetPages =
  (ctx: AppContext, limits: AuthRateLimits) => async (scope: FastifyInstance) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    const blank = { errors: {}, summary: [], next: DEFAULT_PAGE, notice: null };

    const requestForm = (
      request: FastifyRequest,
      reply: FastifyReply,
      email: string,
      issues: FieldIssue[] = [],
      status = 200,
    ) =>
      render(
        request,
        reply,
        ctx,
        "password-reset",
        { title: "Forgot your password?", ...blank, values: { email }, ...place(issues) },
        status,
      );

    app.get("/password-reset", async (request, reply) => requestForm(request, reply, ""));

    app.post("/password-reset", async (request, reply) => {
      const form = formOf(request.body);
      const email = one(form, "email").trim();
      const typed = ResetEmail.safeParse(one(form, "email"));
      if (!typed.success)
        return requestForm(request, reply, email, fieldIssues(typed.error, "email"), 422);
      try {
        await limits.beforePasswordReset(request.ip);
        await requestPasswordReset(ctx, typed.data);
      } catch (err) {
        const { status, issues } = formFailure(err, reply);
        return requestForm(request, reply, email, issues, status);
      }
      // The same page whether or not the email has an account.
      return render(request, reply, ctx, "password-reset-sent", {
        title: "Check your mail",
        ttlMinutes: ctx.config.RESET_TTL_MINUTES,
      });
    });

    const confirmForm = (
      request: FastifyRequest,
      reply: FastifyReply,
      token: string,
      view: { deadLink?: string; issues?: FieldIssue[] } = {},
      status = 200,
    ) =>
      render(
        request,
        reply,
        ctx,
        "password-reset-confirm",
        {
          title: "Set a new password",
          ...blank,
          values: {},
          token,
          deadLink: view.deadLink ?? null,
          ...place(view.issues ?? []),
        },
        status,
      );

    app.get(
      "/password-reset/confirm",
      { schema: { querystring: pageQuery({ token: OptionalTextQuery }) } },
      async (request, reply) => {
        const token = request.query.token ?? "";
        try {
          await resetLinkUser(ctx, token);
        } catch (err) {
          if (!isDeadLink(err)) throw err;
          return confirmForm(
            request,
            reply,
            token,
            { deadLink: err.message },
            formFailure(err, reply).status,
          );
        }
        return confirmForm(request, reply, token);
      },
    );

    app.post("/password-reset/confirm", async (request, reply) => {
      const form = formOf(request.body);
      const token = one(form, "token");
      const password = one(form, "password");
      try {
        await limits.beforePasswordReset(request.ip);
        if (password !== one(form, "password_confirmation")) {
          await resetLinkUser(ctx, token); // a dead link says so rather than "does not match"
          const issue = { field: "password_confirmation", message: "does not match the password" };
          return confirmForm(request, reply, token, { issues: [issue] }, 422);
        }
        await resetPassword(ctx, token, password);
      } catch (err) {
        const { status, issues } = formFailure(err, reply);
        if (isDeadLink(err))
          return confirmForm(request, reply, token, { deadLink: err.message }, status);
        return confirmForm(request, reply, token, { issues }, status);
      }
      // Every session of the user is gone, maybe this one too: a fresh one carries the message.
      await endSession(request);
      return redirectWithFlash(request, reply, "/login", "password-reset");
    });
  };
