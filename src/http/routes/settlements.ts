import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../services/context.js";
import {
  getSettlement,
  listUserSettlements,
  recordSettlement,
} from "../../services/settlements.js";
import { actorId } from "../actor.js";
import { fingerprintRequest, IdempotencyHeaders, sendIdempotent } from "../idempotency.js";
import { toPage } from "../pagination.js";
import { presentSettlement } from "../presenters.js";
import { decodeCursor, Id, idParam, problemResponses } from "../schemas/common.js";
import { withAmountIssue } from "../schemas/expense-checks.js";
import {
  Settlement,
  SettlementBody,
  SettlementList,
  SettlementListQuery,
} from "../schemas/settlements.js";

const { 400: bad, 403: forbidden, 404: notFound, 422: rule } = problemResponses;

export const settlementRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/settlements",
      {
        schema: {
          operationId: "createSettlement",
          tags: ["settlements"],
          summary: "Record a payment from from_user to to_user",
          description:
            "Send an `Idempotency-Key` to make retries safe: the same key and body return the original response and record nothing more; the same key with another body is 422.",
          headers: IdempotencyHeaders,
          body: withAmountIssue(SettlementBody, ctx.config.APP_CURRENCY),
          response: { 201: Settlement, 400: bad, 403: forbidden, 404: notFound, 422: rule },
        },
        preValidation: fingerprintRequest,
      },
      async (req, reply) =>
        sendIdempotent(ctx, req, reply, {
          status: 201,
          run: (hooks) => recordSettlement(ctx, req.body, actorId(req), hooks),
          present: presentSettlement,
        }),
    );

    app.get(
      "/settlements/:settlementid",
      {
        schema: {
          operationId: "getSettlement",
          tags: ["settlements"],
          summary: "Get a settlement",
          params: idParam("settlementid"),
          response: { 200: Settlement, 400: bad, 404: notFound },
        },
      },
      async (req) =>
        presentSettlement(await getSettlement(ctx, req.params.settlementid, actorId(req))),
    );

    app.get(
      "/users/:userid/settlements",
      {
        schema: {
          operationId: "listUserSettlements",
          tags: ["settlements"],
          summary: "Settlements the user paid or received, newest first",
          params: idParam("userid"),
          querystring: SettlementListQuery,
          response: { 200: SettlementList, 400: bad, 404: notFound },
        },
      },
      async (req) => {
        const beforeId = decodeCursor(req.query.cursor, Id);
        const rows = await listUserSettlements(
          ctx,
          req.params.userid,
          { limit: req.query.limit + 1, beforeId },
          actorId(req),
        );
        return toPage(rows, req.query.limit, presentSettlement, (s) => s.id);
      },
    );
  };
