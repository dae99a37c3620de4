import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { DomainError, type FieldIssue, RateLimited } from "../../domain/errors.js";
import {
  authenticate,
  changePassword,
  claimAccount,
  claimLinkUser,
  signUp,
} from "../../services/accounts.js";
import { issueApiToken, listUserTokens, revokeUserToken } from "../../services/api-tokens.js";
import type { AppContext } from "../../services/context.js";
import { getPreferences, updatePreferences } from "../../services/preferences.js";
import { getUser, updateProfile } from "../../services/users.js";
import { requireActor } from "../actor.js";
import { endSession, startSession } from "../auth/page-session.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { Text } from "../schemas/common.js";
import { EmailLookup, MobileNumber } from "../schemas/users.js";
import { formatTimestamp } from "./format.js";
import { type FormBody, fieldIssues, formOf, idOf, one, placeIssues, zodIssues } from "./forms.js";
import { requirePageActor } from "./guard.js";
import { localPath } from "./local-path.js";
import { type AuthFormView, render } from "./views.js";

const LABELS: Record<string, string> = {
  name: "Name",
  email: "Email",
  mobile_number: "Mobile number",
  password: "Password",
  current_password: "Current password",
  new_password: "New password",
  token: "Link",
  label: "Token name",
};
const place = (issues: FieldIssue[]) =>
  placeIssues(
    issues,
    (f) => (f in LABELS ? f : null),
    (k) => LABELS[k] ?? k,
  );

/** Domain errors a form shows as messages (anything else goes to the pages' error handler). */
function formIssues(err: unknown, reply: FastifyReply): FieldIssue[] {
  if (err instanceof RateLimited) {
    reply.header("retry-after", String(err.retryAfterSeconds));
    reply.code(429);
    return [{ field: "", message: err.message }];
  }
  if (err instanceof DomainError) {
    const issues = "issues" in err ? (err.issues as FieldIssue[]) : [];
    return issues.length > 0 ? issues : [{ field: "", message: err.message }];
  }
  throw err;
}

const statusOf = (err: unknown) =>
  err instanceof RateLimited
    ? 429
    : err instanceof DomainError && err.kind === "unauthenticated"
      ? 401
      : err instanceof DomainError && err.kind === "conflict"
        ? 409
        : 422;

const SignupForm = z.object({
  name: Text(100),
  email: z.email("must be a valid email address").max(254),
  mobile_number: MobileNumber,
  password: z.string().max(1024),
});
const ProfileForm = z.object({ name: Text(100), mobile_number: MobileNumber });

/** Sign-up, log-in, log-out, claiming an invited account, and the profile page. */
export const accountPages =
  (ctx: AppContext, limits: AuthRateLimits) => async (app: FastifyInstance) => {
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
          next: localPath((request.query as { next?: string }).next),
          notice: null,
          ...view,
        },
        status,
      );

    app.get("/login", async (request, reply) => {
      if (request.actor)
        return reply.redirect(localPath((request.query as { next?: string }).next), 303);
      return authForm(request, reply, "login", { values: { email: "" } });
    });

    app.post("/login", async (request, reply) => {
      const form = formOf(request.body);
      const email = one(form, "email").trim();
      const next = localPath(one(form, "next"));
      const typed = EmailLookup.safeParse(one(form, "email"));
      if (!typed.success) {
        const issues = fieldIssues(typed.error, "email");
        return authForm(
          request,
          reply,
          "login",
          { values: { email }, next, ...place(issues) },
          422,
        );
      }
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
        const status = statusOf(err);
        const issues = formIssues(err, reply);
        return authForm(
          request,
          reply,
          "login",
          { values: { email }, next, ...place(issues) },
          status,
        );
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
        mobile_number: one(form, "mobile_number").trim(),
      };
      const parsed = SignupForm.safeParse({ ...values, password: one(form, "password") });
      if (!parsed.success)
        return authForm(
          request,
          reply,
          "signup",
          { values, ...place(zodIssues(parsed.error)) },
          422,
        );
      try {
        await limits.beforeSignup(request.ip);
        const { name, email, mobile_number, password } = parsed.data;
        const user = await signUp(ctx, { name, email, mobileNumber: mobile_number, password });
        await startSession(request, user.id);
        return reply.redirect("/app?flash=welcome", 303);
      } catch (err) {
        const status = statusOf(err);
        return authForm(
          request,
          reply,
          "signup",
          { values, ...place(formIssues(err, reply)) },
          status,
        );
      }
    });

    app.post("/logout", async (request, reply) => {
      await endSession(request);
      return reply.redirect("/login?flash=logged-out", 303);
    });

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
          next: "/app",
          notice: null,
          ...place(issues),
        },
        user ? status : 410,
      );
    };

    app.get("/claim", async (request, reply) =>
      claimForm(request, reply, String((request.query as { token?: string }).token ?? "")),
    );

    app.post("/claim", async (request, reply) => {
      const form = formOf(request.body);
      const token = one(form, "token");
      try {
        await limits.beforeSignup(request.ip);
        const user = await claimAccount(ctx, token, one(form, "password"));
        await startSession(request, user.id);
        return reply.redirect("/app?flash=claimed", 303);
      } catch (err) {
        const status = statusOf(err);
        return claimForm(request, reply, token, formIssues(err, reply), status);
      }
    });

    // The profile needs a logged-in user.
    await app.register(async (profile) => {
      profile.addHook("preHandler", requirePageActor);

      const show = async (
        request: FastifyRequest,
        reply: FastifyReply,
        extra: { values?: Record<string, string>; issues?: FieldIssue[]; newToken?: string } = {},
        status = 200,
      ) => {
        const me = requireActor(request).userId;
        const [user, preferences, tokens] = await Promise.all([
          getUser(ctx, me, me),
          getPreferences(ctx, me, me),
          listUserTokens(ctx, me),
        ]);
        const tz = ctx.config.APP_TIMEZONE;
        return render(
          request,
          reply,
          ctx,
          "profile",
          {
            title: "Profile",
            nav: "profile",
            email: user.email,
            values: extra.values ?? {
              name: user.name,
              mobile_number: user.mobileNumber ?? "",
              label: "",
            },
            ...place(extra.issues ?? []),
            next: "/profile",
            notice: null,
            preferences,
            tokens: tokens.map((t) => ({
              id: t.id,
              label: t.label,
              created: formatTimestamp(t.createdAt, tz),
              expires: formatTimestamp(t.expiresAt, tz),
              lastUsed: t.lastUsedAt ? formatTimestamp(t.lastUsedAt, tz) : "never",
            })),
            newToken: extra.newToken ?? null,
          },
          status,
        );
      };

      profile.get("/profile", async (request, reply) => show(request, reply));

      profile.post("/profile", async (request, reply) => {
        const me = requireActor(request).userId;
        const form = formOf(request.body);
        const values = {
          name: one(form, "name"),
          mobile_number: one(form, "mobile_number"),
          label: "",
        };
        const parsed = ProfileForm.safeParse(values);
        if (!parsed.success)
          return show(request, reply, { values, issues: zodIssues(parsed.error) }, 422);
        await updateProfile(ctx, me, {
          name: parsed.data.name,
          mobileNumber: parsed.data.mobile_number,
        });
        return reply.redirect("/profile?flash=profile", 303);
      });

      profile.post("/profile/preferences", async (request, reply) => {
        const me = requireActor(request).userId;
        const form: FormBody = formOf(request.body);
        await updatePreferences(
          ctx,
          me,
          {
            expenseEmails: one(form, "expense_emails") === "on",
            weeklySummary: one(form, "weekly_summary") === "on",
          },
          me,
        );
        return reply.redirect("/profile?flash=preferences", 303);
      });

      profile.post("/profile/password", async (request, reply) => {
        const me = requireActor(request).userId;
        const form = formOf(request.body);
        try {
          await changePassword(
            ctx,
            me,
            one(form, "current_password"),
            one(form, "new_password"),
            request.session.sessionId,
          );
        } catch (err) {
          const status = statusOf(err);
          return show(request, reply, { issues: formIssues(err, reply) }, status);
        }
        // A fresh session id after a credential change, like at log-in.
        await startSession(request, me);
        return reply.redirect("/profile?flash=password", 303);
      });

      profile.post("/profile/tokens", async (request, reply) => {
        const me = requireActor(request).userId;
        const label = Text(100).safeParse(one(formOf(request.body), "label") || "API token");
        if (!label.success)
          return show(
            request,
            reply,
            { issues: zodIssues(label.error).map((i) => ({ ...i, field: "label" })) },
            422,
          );
        const issued = await issueApiToken(ctx, me, label.data);
        // Shown once, on this response only (no-store), never stored in clear.
        return show(request, reply, { newToken: issued.token });
      });

      profile.post("/profile/tokens/:id/revoke", async (request, reply) => {
        const me = requireActor(request).userId;
        const id = idOf(String((request.params as { id: string }).id));
        if (!Number.isNaN(id)) await revokeUserToken(ctx, me, id);
        return reply.redirect("/profile?flash=revoked", 303);
      });
    });
  };
