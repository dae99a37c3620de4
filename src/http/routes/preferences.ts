import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../services/context.js";
import { getPreferences, updatePreferences } from "../../services/preferences.js";
import { actorId } from "../actor.js";
import { idParam, problemResponses } from "../schemas/common.js";

const Preferences = z
  .object({
    expense_emails: z
      .boolean()
      .describe("A mail when an expense you are in is added, edited or deleted"),
    weekly_summary: z.boolean().describe("The weekly summary of outstanding balances"),
  })
  .meta({ id: "EmailPreferences" });

const present = (p: { expenseEmails: boolean; weeklySummary: boolean }) => ({
  expense_emails: p.expenseEmails,
  weekly_summary: p.weeklySummary,
});

export const preferenceRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/users/:userid/preferences",
      {
        schema: {
          operationId: "getEmailPreferences",
          tags: ["notifications"],
          summary: "Email preferences",
          params: idParam("userid"),
          response: { 200: Preferences, 400: problemResponses[400], 404: problemResponses[404] },
        },
      },
      async (req) => present(await getPreferences(ctx, req.params.userid, actorId(req))),
    );

    app.patch(
      "/users/:userid/preferences",
      {
        schema: {
          operationId: "updateEmailPreferences",
          tags: ["notifications"],
          summary: "Change email preferences (send only what changes)",
          params: idParam("userid"),
          body: z.strictObject(Preferences.partial().shape),
          response: { 200: Preferences, 400: problemResponses[400], 404: problemResponses[404] },
        },
      },
      async (req) =>
        present(
          await updatePreferences(
            ctx,
            req.params.userid,
            { expenseEmails: req.body.expense_emails, weeklySummary: req.body.weekly_summary },
            actorId(req),
          ),
        ),
    );
  };
