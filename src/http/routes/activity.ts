import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ActivityKind, ActivityRow } from "../../db/repos/activity.js";
import { listGroupActivity, listUserActivity } from "../../services/activity.js";
import type { AppContext } from "../../services/context.js";
import { deleteSettlement, restoreExpense, restoreSettlement } from "../../services/undo.js";
import { actorId } from "../actor.js";
import { toPage } from "../pagination.js";
import { setEtag } from "../preconditions.js";
import { presentExpense, presentSettlement } from "../presenters.js";
import { ActivityList, ActivityListQuery } from "../schemas/activity.js";
import { decodeCursor, Id, idParam, problemResponses } from "../schemas/common.js";
import { Expense } from "../schemas/expenses.js";
import { Settlement } from "../schemas/settlements.js";

const { 400: bad, 403: forbidden, 404: notFound, 409: conflict, 422: rule } = problemResponses;

const presentActivity = (a: ActivityRow) => ({
  activityid: a.id,
  kind: a.kind as ActivityKind,
  actor: a.actor,
  at: a.at.toISOString(),
  expenseid: a.expenseId,
  settlementid: a.settlementId,
  groupid: a.groupId,
  changes: (a.changes ?? null) as Record<string, { from: unknown; to: unknown }> | null,
});

const UNDO_RULES =
  "Checks in this order: 404 (unknown, or one you may not see), 403 (you may see it but not change it), 409 (its state), 422 (its group is archived, or someone in it is no longer a member).";

/** The history (GET …/activity) and undo (restore a deleted expense, delete/restore a settlement). */
export const activityRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/users/:userid/activity",
      {
        schema: {
          operationId: "listUserActivity",
          tags: ["activity"],
          summary:
            "Changes to anything the user pays, shares in or belongs to (their groups), newest first",
          description: "Only the user themself may read it (404 for anyone else).",
          params: idParam("userid"),
          querystring: ActivityListQuery,
          response: { 200: ActivityList, 400: bad, 404: notFound },
        },
      },
      async (req) => {
        const beforeId = decodeCursor(req.query.cursor, Id);
        const rows = await listUserActivity(
          ctx,
          req.params.userid,
          { limit: req.query.limit + 1, beforeId },
          actorId(req),
        );
        return toPage(rows, req.query.limit, presentActivity, (a) => a.id);
      },
    );

    app.get(
      "/groups/:groupid/activity",
      {
        schema: {
          operationId: "listGroupActivity",
          tags: ["activity"],
          summary:
            "Changes in the group (its expenses, settlements, settings, members), newest first",
          description: "Current members only (404 for everyone else).",
          params: idParam("groupid"),
          querystring: ActivityListQuery,
          response: { 200: ActivityList, 400: bad, 404: notFound },
        },
      },
      async (req) => {
        const beforeId = decodeCursor(req.query.cursor, Id);
        const rows = await listGroupActivity(
          ctx,
          req.params.groupid,
          { limit: req.query.limit + 1, beforeId },
          actorId(req),
        );
        return toPage(rows, req.query.limit, presentActivity, (a) => a.id);
      },
    );

    app.post(
      "/expenses/:expenseid/restore",
      {
        schema: {
          operationId: "restoreExpense",
          tags: ["expenses", "activity"],
          summary: "Bring back a deleted expense, its balances re-applied exactly",
          description: `Whoever may edit the expense may restore it; 409 if it is not deleted. ${UNDO_RULES}`,
          params: idParam("expenseid"),
          response: {
            200: Expense,
            400: bad,
            403: forbidden,
            404: notFound,
            409: conflict,
            422: rule,
          },
        },
      },
      async (req, reply) => {
        const expense = await restoreExpense(ctx, req.params.expenseid, actorId(req));
        setEtag(reply, expense.version);
        return presentExpense(expense);
      },
    );

    app.delete(
      "/settlements/:settlementid",
      {
        schema: {
          operationId: "deleteSettlement",
          tags: ["settlements", "activity"],
          summary: "Delete a settlement (kept as deleted; its effect on balances reversed)",
          description: `Either party may, and in a group any current member. A settlement already deleted is 404, like a deleted expense. ${UNDO_RULES}`,
          params: idParam("settlementid"),
          response: {
            204: z.undefined(),
            400: bad,
            403: forbidden,
            404: notFound,
            422: rule,
          },
        },
      },
      async (req, reply) => {
        await deleteSettlement(ctx, req.params.settlementid, actorId(req));
        return reply.code(204).send();
      },
    );

    app.post(
      "/settlements/:settlementid/restore",
      {
        schema: {
          operationId: "restoreSettlement",
          tags: ["settlements", "activity"],
          summary: "Bring back a deleted settlement, re-applying it",
          description: `Either party may, and in a group any current member; 409 if it is not deleted. ${UNDO_RULES}`,
          params: idParam("settlementid"),
          response: {
            200: Settlement,
            400: bad,
            403: forbidden,
            404: notFound,
            409: conflict,
            422: rule,
          },
        },
      },
      async (req) =>
        presentSettlement(await restoreSettlement(ctx, req.params.settlementid, actorId(req))),
    );
  };
