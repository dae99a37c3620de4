import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { escapeHtml } from "../../lib/html.js";
import { verifyUnsubscribeToken } from "../../notifications/tokens.js";
import type { AppContext } from "../../services/context.js";
import { updatePreferences } from "../../services/preferences.js";
import { sendProblem } from "../problem.js";

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Evenly</title></head><body style="font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

const topicName = { expenses: "expense mails", weekly: "the weekly summary" } as const;
const Query = z.object({ token: z.string().max(200) });

/**
 * One-click unsubscribe without logging in (RFC 8058): mail clients POST
 * `List-Unsubscribe=One-Click` to the link; a person opening it gets a page with one button
 * (a GET never changes anything, so link scanners cannot unsubscribe anyone).
 */
export const unsubscribeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // RFC 8058 says a client SHOULD post the one-click body as multipart/form-data; the token is
    // in the URL, so that body is drained unread (at most 1 KiB).
    app.addContentTypeParser(
      "multipart/form-data",
      { parseAs: "buffer", bodyLimit: 1024 },
      (_req, _body, done) => done(null, undefined),
    );
    app.get("/unsubscribe", { schema: { hide: true, querystring: Query } }, async (req, reply) => {
      const claim = verifyUnsubscribeToken(ctx.secret, req.query.token);
      reply.type("text/html; charset=utf-8");
      if (!claim)
        return reply
          .code(400)
          .send(page("Invalid link", "<p>This unsubscribe link is not valid.</p>"));
      return page(
        "Unsubscribe",
        `<p>Stop receiving ${topicName[claim.topic]}?</p><form method="post" action="/unsubscribe?token=${encodeURIComponent(req.query.token)}"><button type="submit">Unsubscribe</button></form>`,
      );
    });

    app.post(
      "/unsubscribe",
      { schema: { hide: true, querystring: Query, body: z.unknown().optional() } },
      async (req, reply) => {
        const claim = verifyUnsubscribeToken(ctx.secret, req.query.token);
        if (!claim) {
          return sendProblem(req, reply, {
            slug: "invalid-token",
            title: "Invalid link",
            status: 400,
            detail: "The unsubscribe token is not valid",
          });
        }
        await updatePreferences(
          ctx,
          claim.userId,
          claim.topic === "weekly" ? { weeklySummary: false } : { expenseEmails: false },
          claim.userId, // the signed link speaks for its user
        );
        reply.type("text/html; charset=utf-8");
        return page(
          "Unsubscribed",
          `<p>You will no longer receive ${topicName[claim.topic]}. You can turn them back on in your profile.</p>`,
        );
      },
    );
  };
