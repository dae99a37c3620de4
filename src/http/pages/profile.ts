import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { FieldIssue } from "../../domain/errors.js";
import { groupPhone } from "../../domain/phone.js";
import { changePassword } from "../../services/accounts.js";
import { issueApiToken, listUserTokens, revokeUserToken } from "../../services/api-tokens.js";
import type { AppContext } from "../../services/context.js";
import { exportUserJson } from "../../services/export.js";
import { getPreferences, updatePreferences } from "../../services/preferences.js";
import { getUser, updateProfile } from "../../services/users.js";
import { requireActor } from "../actor.js";
import { startSession } from "../auth/page-session.js";
import { Text } from "../schemas/common.js";
import { ProfileForm, placeAccountIssues as place } from "./account-forms.js";
import { formFailure } from "./error-pages.js";
import { sendDownload } from "./exports.js";
import { redirectWithFlash, stashNewToken, takeNewToken } from "./flash.js";
import { formatTimestamp } from "./format.js";
import { formOf, one, zodIssues } from "./forms.js";
import { requirePageActor } from "./guard.js";
import { IdPath } from "./page-schemas.js";
import { render } from "./views.js";

/** The profile page: name and mobile number, email preferences, password, API tokens. */
export const profilePages = (ctx: AppContext) => async (scope: FastifyInstance) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.addHook("preValidation", requirePageActor);
  // Personal data and, once, a new token's secret: never cached, never shown again by Back.
  app.addHook("onSend", async (_request, reply) => {
    reply.header("cache-control", "private, no-store");
  });

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, string>; issues?: FieldIssue[] } = {},
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
          // Grouped as people write it; the form reads that back to the stored digits.
          mobile_number: user.mobileNumber ? groupPhone(user.mobileNumber) : "",
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
        newToken: takeNewToken(request),
      },
      status,
    );
  };

  app.get("/profile", async (request, reply) => show(request, reply));

  app.post("/profile", async (request, reply) => {
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
    return redirectWithFlash(request, reply, "/profile", "profile");
  });

  app.post("/profile/preferences", async (request, reply) => {
    const me = requireActor(request).userId;
    const form = formOf(request.body);
    await updatePreferences(
      ctx,
      me,
      {
        expenseEmails: one(form, "expense_emails") === "on",
        weeklySummary: one(form, "weekly_summary") === "on",
      },
      me,
    );
    return redirectWithFlash(request, reply, "/profile", "preferences");
  });

  app.post("/profile/password", async (request, reply) => {
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
      const { status, issues } = formFailure(err, reply);
      return show(request, reply, { issues }, status);
    }
    // A fresh session id after a credential change, like at log-in.
    await startSession(request, me);
    return redirectWithFlash(request, reply, "/profile", "password");
  });

  // "Download my data": everything of yours as the API's GET /users/{id}/export.json gives it.
  app.get("/profile/export.json", async (request, reply) => {
    const me = requireActor(request).userId;
    return sendDownload(reply, await exportUserJson(ctx, me, me), "application/json");
  });

  app.post("/profile/tokens", async (request, reply) => {
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
    // Redirect after POST (a reload creates no second token); the secret waits in the session
    // until the next page shows it once (no-store), and only its hash stays in the database.
    stashNewToken(request, issued.token);
    return reply.redirect("/profile#h-tokens", 303);
  });

  app.post("/profile/tokens/:id/revoke", { schema: { params: IdPath } }, async (request, reply) => {
    await revokeUserToken(ctx, requireActor(request).userId, request.params.id);
    return redirectWithFlash(request, reply, "/profile", "revoked");
  });
};
