import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../services/context.js";
import {
  getGroupBalances,
  listGroupExpenses,
  listGroupSettlements,
} from "../../services/group-balances.js";
import {
  addGroupMember,
  archiveGroupById,
  createGroup,
  type GroupView,
  getGroup,
  listGroups,
  removeGroupMember,
  updateGroupSettings,
} from "../../services/groups.js";
import { actorId } from "../actor.js";
import { fingerprintRequest, IdempotencyHeaders, sendIdempotent } from "../idempotency.js";
import { toPage } from "../pagination.js";
import {
  presentExpense,
  presentGroup,
  presentGroupBalances,
  presentGroupSummary,
  presentSettlement,
} from "../presenters.js";
import { decodeCursor, Id, idParam, problemResponses } from "../schemas/common.js";
import { ExpenseCursor, ExpenseList, ExpenseListQuery } from "../schemas/expenses.js";
import {
  Group,
  GroupBalances,
  GroupBalancesQuery,
  GroupChangesBody,
  GroupList,
  GroupListQuery,
  GroupMemberParams,
  NewGroupBody,
  NewMemberBody,
} from "../schemas/groups.js";
import { SettlementList, SettlementListQuery } from "../schemas/settlements.js";

const { 400: bad, 404: notFound, 409: conflict, 413: tooLarge, 422: rule } = problemResponses;
const groupParam = idParam("groupid");

/** Groups: only their current members see them (404 for anyone else); any member manages them. */
export const groupRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/groups",
      {
        schema: {
          operationId: "createGroup",
          tags: ["groups"],
          summary: "Create a group with you and people you know in it",
          description:
            "Members must be people you know (friends, people you invited or share an expense or group with); anyone else is refused like an unknown id (422). Send an `Idempotency-Key` to make retries safe.",
          headers: IdempotencyHeaders,
          body: NewGroupBody,
          response: { 201: Group, 400: bad, 413: tooLarge, 422: rule },
        },
        preValidation: fingerprintRequest,
      },
      async (req, reply) =>
        sendIdempotent<GroupView>(ctx, req, reply, {
          status: 201,
          run: (hooks) => createGroup(ctx, req.body, actorId(req), hooks),
          present: presentGroup,
        }),
    );

    app.get(
      "/groups",
      {
        schema: {
          operationId: "listGroups",
          tags: ["groups"],
          summary: "Your groups, newest first, each with your net in it",
          querystring: GroupListQuery,
          response: { 200: GroupList, 400: bad },
        },
      },
      async (req) => {
        const beforeId = decodeCursor(req.query.cursor, Id);
        const rows = await listGroups(ctx, actorId(req), { limit: req.query.limit + 1, beforeId });
        return toPage(rows, req.query.limit, presentGroupSummary, (g) => g.id);
      },
    );

    app.get(
      "/groups/:groupid",
      {
        schema: {
          operationId: "getGroup",
          tags: ["groups"],
          summary: "Get a group and its members",
          params: groupParam,
          response: { 200: Group, 400: bad, 404: notFound },
        },
      },
      async (req) => presentGroup(await getGroup(ctx, req.params.groupid, actorId(req))),
    );

    app.patch(
      "/groups/:groupid",
      {
        schema: {
          operationId: "updateGroup",
          tags: ["groups"],
          summary: "Rename a group or switch debt simplification",
          params: groupParam,
          body: GroupChangesBody,
          response: { 200: Group, 400: bad, 404: notFound, 413: tooLarge, 422: rule },
        },
      },
      async (req) =>
        presentGroup(await updateGroupSettings(ctx, req.params.groupid, req.body, actorId(req))),
    );

    app.delete(
      "/groups/:groupid",
      {
        schema: {
          operationId: "archiveGroup",
          tags: ["groups"],
          summary: "Archive a group whose balances are all settled (409 otherwise)",
          description:
            "The group is kept, read-only: members still read it, its expenses and settlements; nothing new can be added (422).",
          params: groupParam,
          response: { 204: z.undefined(), 400: bad, 404: notFound, 409: conflict },
        },
      },
      async (req, reply) => {
        await archiveGroupById(ctx, req.params.groupid, actorId(req));
        return reply.code(204).send();
      },
    );

    app.post(
      "/groups/:groupid/members",
      {
        schema: {
          operationId: "addGroupMember",
          tags: ["groups"],
          summary: "Add someone you know to the group (200 if already a member)",
          params: groupParam,
          body: NewMemberBody,
          response: { 200: Group, 201: Group, 400: bad, 404: notFound, 413: tooLarge, 422: rule },
        },
      },
      async (req, reply) => {
        const { group, added } = await addGroupMember(
          ctx,
          req.params.groupid,
          req.body.userid,
          actorId(req),
        );
        return reply.code(added ? 201 : 200).send(presentGroup(group));
      },
    );

    app.delete(
      "/groups/:groupid/members/:userid",
      {
        schema: {
          operationId: "removeGroupMember",
          tags: ["groups"],
          summary: "Remove a member, or leave (your own id); 409 while they have balances in it",
          params: GroupMemberParams,
          response: { 204: z.undefined(), 400: bad, 404: notFound, 409: conflict, 422: rule },
        },
      },
      async (req, reply) => {
        await removeGroupMember(ctx, req.params.groupid, req.params.userid, actorId(req));
        return reply.code(204).send();
      },
    );

    app.get(
      "/groups/:groupid/balances",
      {
        schema: {
          operationId: "getGroupBalances",
          tags: ["groups"],
          summary: "The group's balances: fewest transfers or pairwise (default: the group's flag)",
          description:
            "With ?convert_to=EUR (an ISO 4217 code), each member also gets `converted_net` (their nets summed into that currency at the newest stored ECB rates, for viewing) and the answer `converted: {currency, rates_as_of}`; 422 naming each currency without a rate.",
          params: groupParam,
          querystring: GroupBalancesQuery,
          response: {
            200: GroupBalances,
            400: bad,
            404: notFound,
            422: rule.describe("No exchange rate for a currency that convert_to needs (named)"),
          },
        },
      },
      async (req) =>
        presentGroupBalances(
          await getGroupBalances(
            ctx,
            req.params.groupid,
            { simplify: req.query.simplify, convertTo: req.query.convert_to },
            actorId(req),
          ),
        ),
    );

    app.get(
      "/groups/:groupid/expenses",
      {
        schema: {
          operationId: "listGroupExpenses",
          tags: ["groups"],
          summary: "The group's expenses, newest first",
          params: groupParam,
          querystring: ExpenseListQuery,
          response: { 200: ExpenseList, 400: bad, 404: notFound },
        },
      },
      async (req) => {
        const before = decodeCursor(req.query.cursor, ExpenseCursor);
        const rows = await listGroupExpenses(
          ctx,
          req.params.groupid,
          { limit: req.query.limit + 1, before },
          actorId(req),
        );
        return toPage(rows, req.query.limit, presentExpense, (e) => ({ date: e.date, id: e.id }));
      },
    );

    app.get(
      "/groups/:groupid/settlements",
      {
        schema: {
          operationId: "listGroupSettlements",
          tags: ["groups"],
          summary: "The group's settlements, newest first",
          params: groupParam,
          querystring: SettlementListQuery,
          response: { 200: SettlementList, 400: bad, 404: notFound },
        },
      },
      async (req) => {
        const beforeId = decodeCursor(req.query.cursor, Id);
        const rows = await listGroupSettlements(
          ctx,
          req.params.groupid,
          { limit: req.query.limit + 1, beforeId },
          actorId(req),
        );
        return toPage(rows, req.query.limit, presentSettlement, (s) => s.id);
      },
    );
  };
