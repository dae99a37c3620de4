import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { DomainError, type FieldIssue } from "../../domain/errors.js";
import { authenticate, claimAccount, claimLinkUser, signUp } from "../../services/accounts.js";
import type { AppContext } from "../../services/context.js";
import { endSession, startSession } from "../auth/page-session.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { EmailLookup } from "../schemas/users.js";
import { placeAccountIssues as place, SignupForm } from "./account-forms.js";
import { formFailure } from "./error-pages.js";
import { redirectWithFlash } from "./flash.js";
import { fieldIssues, formOf, one, zodIssues } from "./forms.js";
import { DEFAULT_PAGE, localPath } from "./local-path.js";
import { OptionalTextQuery, pageQuery } from "./page-schemas.js";
import { type AuthFormView, render } from "./views.js";

/** Sign-up, log-in, log-out and claiming an invited account: the pages without a log-in. */
export const signInPages =
  (ctx: AppContext, limits: AuthRateLimits) => async (scope: FastifyInstance) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    const authForm = (
      request: FastifyRequest,
      reply: FastifyReply,
      name: "login" | "signup",
      view: Partial<AuthFormView> & { values: Record<string, string> },
      status = 200,
    ) =>
      render(
        request,
        reply,
        ctx,
        name,
        {
          title: name === "login" ? "Log in" : "Sign up",
          nav: name,
          errors: {},
          summary: [],
          next: DEFAULT_PAGE,
          notice: null,
          ...view,
        },
        status,
      );

    const nextQuery = { querystring: pageQuery({ next: OptionalTextQuery }) };
    app.get("/login", { schema: nextQuery }, async (request, reply) => {
      const next = localPath(request.query.next);
      if (request.actor) return reply.redirect(next, 303);
      return authForm(request, reply, "login", { values: { email: "" }, next });
    });

    app.post("/login", async (request, reply) => {
      const form = formOf(request.body);
      const email = one(form, "email").trim();
      const next = localPath(one(form, "next"));
      const again = (issues: FieldIssue[], status: number) =>
        authForm(request, reply, "login", { values: { email }, next, ...place(issues) }, status);
      const typed = EmailLookup.safeParse(one(form, "email"));
      if (!typed.success) return again(fieldIssues(typed.error, "email"), 422);
      try {
        await limits.beforeLogin(request.ip, email);
        let user: Awaited<ReturnType<typeof authenticate>>;
        try {
          user = await authenticate(ctx, email, one(form, "password"));
        } catch (err) {
          if (err instanceof DomainError && err.kind === "unauthenticated")
            await limits.loginFailed(email);
          throw err;
        }
        await limits.loginSucceeded(email);
        await startSession(request, user.id);
        return reply.redirect(next, 303);
      } catch (err) {
        const { status, issues } = formFailure(err, reply);
        return again(issues, status);
      }
    });

    app.get("/signup", async (request, reply) => {
      if (request.actor) return reply.redirect("/app", 303);
      return authForm(request, reply, "signup", {
        values: { name: "", email: "", mobile_number: "" },
      });
    });

    app.post("/signup", async (request, reply) => {
      const form = formOf(request.body);
      const values = {
        name: one(form, "name"),
        email: one(form, "email").trim(),
        // Not trimmed here: the number rule itself allows spaces, like the API and the profile.
        mobile_number: one(form, "mobile_number"),
      };
      const again = (issues: FieldIssue[], status: number) =>
        authForm(request, reply, "signup", { values, ...place(issues) }, status);
      const parsed = SignupForm.safeParse({ ...values, password: one(form, "password") });
      if (!parsed.success) return again(zodIssues(parsed.error), 422);
      try {
        await limits.beforeSignup(request.ip);
        const { name, email, mobile_number, password } = parsed.data;
        const user = await signUp(ctx, { name, email, mobileNumber: mobile_number, password });
        await startSession(request, user.id);
        return redirectWithFlash(request, reply, "/app", "welcome");
      } catch (err) {
        const { status, issues } = formFailure(err, reply);
        return again(issues, status);
      }
    });

    app.post("/logout", async (request, reply) => {
      await endSession(request);
      return redirectWithFlash(request, reply, "/login", "logged-out");
    });

    /** The claim form; a link that is invalid, expired or used is gone (410). */
    const claimForm = async (
      request: FastifyRequest,
      reply: FastifyReply,
      token: string,
      issues: FieldIssue[] = [],
      status = 200,
    ) => {
      const user = await claimLinkUser(ctx, token);
      return render(
        request,
        reply,
        ctx,
        "claim",
        {
          title: "Claim your account",
          token,
          name: user?.name ?? null,
          values: {},
          next: DEFAULT_PAGE,
          notice: null,
          ...place(issues),
        },
        user ? status : 410,
      );
    };

    app.get(
      "/claim",
      { schema: { querystring: pageQuery({ token: OptionalTextQuery }) } },
      async (request, reply) => claimForm(request, reply, request.query.token ?? ""),
    );

    app.post("/claim", async (request, reply) => {
      const form = formOf(request.body);
      const token = one(form, "token");
      try {
        await limits.beforeSignup(request.ip);
        const user = await claimAccount(ctx, token, one(form, "password"));
        await startSession(request, user.id);
        return redirectWithFlash(request, reply, "/app", "claimed");
      } catch (err) {
        const { status, issues } = formFailure(err, reply);
        return claimForm(request, reply, token, issues, status);
      }
    });
  };
