import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ActivityRow } from "../../db/repos/activity.js";
import { DomainError, Forbidden, NotFound } from "../../domain/errors.js";
import { listGroupActivity, listUserActivity } from "../../services/activity.js";
import { feedFacts, settlementWithAccess } from "../../services/activity-feed.js";
import type { AppContext } from "../../services/context.js";
import { getExpenseWithAccess } from "../../services/expense-reads.js";
import { getGroup } from "../../services/groups.js";
import { namesByIds } from "../../services/people.js";
import { deleteSettlement, restoreExpense, restoreSettlement } from "../../services/undo.js";
import { requireActor } from "../actor.js";
import { CursorQuery, decodeCursor, encodeCursor, Id } from "../schemas/common.js";
import { feedEntries } from "./activity-views.js";
import { formFailure } from "./error-pages.js";
import { detailOf } from "./expense-views.js";
import { redirectWithFlash } from "./flash.js";
import { formatAmount, formatTimestamp } from "./format.js";
import { IdPath, pageQuery } from "./page-schemas.js";
import { render } from "./views.js";

const PAGE_SIZE = 30;

/** The activity feeds, and undo: restore a deleted expense, delete and restore a settlement. */
export const activityPages = (ctx: AppContext) => async (scope: FastifyInstance) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  const feed = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rows: ActivityRow[],
    baseUrl: string,
    group: { id: number; name: string } | null,
  ) => {
    const me = requireActor(request).userId;
    const page = rows.slice(0, PAGE_SIZE);
    const facts = await feedFacts(ctx, page, me);
    const last = page.at(-1);
    return render(request, reply, ctx, "activity", {
      title: group ? `Activity in ${group.name}` : "Activity",
      nav: group ? "groups" : "activity",
      heading: group ? `Activity in ${group.name}` : "Activity",
      group,
      entries: feedEntries(page, facts, me, ctx.config.APP_TIMEZONE),
      olderUrl:
        rows.length > PAGE_SIZE && last ? `${baseUrl}?cursor=${encodeCursor(last.id)}` : null,
    });
  };

  app.get(
    "/activity",
    { schema: { querystring: pageQuery({ cursor: CursorQuery }) } },
    async (request, reply) => {
      const me = requireActor(request).userId;
      const beforeId = decodeCursor(request.query.cursor, Id);
      const rows = await listUserActivity(ctx, me, { limit: PAGE_SIZE + 1, beforeId }, me);
      return feed(request, reply, rows, "/app/activity", null);
    },
  );

  app.get(
    "/groups/:id/activity",
    { schema: { params: IdPath, querystring: pageQuery({ cursor: CursorQuery }) } },
    async (request, reply) => {
      const me = requireActor(request).userId;
      const id = request.params.id;
      const beforeId = decodeCursor(request.query.cursor, Id);
      const rows = await listGroupActivity(ctx, id, { limit: PAGE_SIZE + 1, beforeId }, me);
      const g = await getGroup(ctx, id, me);
      return feed(request, reply, rows, `/app/groups/${id}/activity`, { id, name: g.name });
    },
  );

  /** A deleted expense as it was, with Restore for those who may edit it (and a message). */
  const showDeleted = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    status = 200,
    problem: string | null = null,
  ) => {
    const me = requireActor(request).userId;
    const { expense, canChange } = await getExpenseWithAccess(ctx, id, me, { deleted: true });
    if (expense.deletedAt === null && status === 200)
      return reply.redirect(`/app/expenses/${id}`, 303);
    const d = await detailOf(ctx, expense, me, canChange);
    return render(
      request,
      reply,
      ctx,
      "expense-deleted",
      { title: `Deleted: ${d.description}`, nav: "activity", ...d, problem },
      status,
    );
  };

  app.get("/expenses/:id/deleted", { schema: { params: IdPath } }, async (request, reply) =>
    showDeleted(request, reply, request.params.id),
  );

  app.post("/expenses/:id/restore", { schema: { params: IdPath } }, async (request, reply) => {
    const me = requireActor(request).userId;
    const id = request.params.id;
    try {
      await restoreExpense(ctx, id, me);
    } catch (err) {
      if (!(err instanceof DomainError) || err instanceof NotFound) throw err;
      // 409 (not deleted any more), 403 (may not change it), 422 (its group's rules): said plainly.
      const { status, issues } = formFailure(err, reply);
      return showDeleted(request, reply, id, status, issues.map((i) => i.message).join(" "));
    }
    return redirectWithFlash(request, reply, `/app/expenses/${id}`, "restored");
  });

  // The settlement history's Delete: a confirmation first (no JS), then the POST below.
  app.get("/settlements/:id/delete", { schema: { params: IdPath } }, async (request, reply) => {
    const me = requireActor(request).userId;
    const id = request.params.id;
    const found = await settlementWithAccess(ctx, id, me);
    if (!found || found.settlement.deletedAt !== null) throw new NotFound("settlement", id);
    if (!found.canChange)
      throw new Forbidden("Only the group's members may change its settlements");
    const s = found.settlement;
    const names = await namesByIds(ctx, [s.fromUser, s.toUser]);
    const name = (u: number) => (u === me ? "You" : (names.get(u) ?? `User ${u}`));
    return render(request, reply, ctx, "settlement-delete", {
      title: "Delete settlement",
      nav: "settle",
      id,
      text: `${name(s.fromUser)} paid ${s.toUser === me ? "you" : name(s.toUser)} ${formatAmount(s.amount, s.currency)}`,
      date: formatTimestamp(s.createdAt, ctx.config.APP_TIMEZONE),
      note: s.note,
    });
  });

  app.post("/settlements/:id/delete", { schema: { params: IdPath } }, async (request, reply) => {
    await deleteSettlement(ctx, request.params.id, requireActor(request).userId);
    return redirectWithFlash(request, reply, "/app/settlements", "settlement-deleted");
  });

  app.post("/settlements/:id/restore", { schema: { params: IdPath } }, async (request, reply) => {
    await restoreSettlement(ctx, request.params.id, requireActor(request).userId);
    return redirectWithFlash(request, reply, "/app/settlements", "settlement-restored");
  });
};
