import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { getBalances } from "../../services/balances.js";
import type { AppContext } from "../../services/context.js";
import { actorId } from "../actor.js";
import { presentBalances } from "../presenters.js";
import { Balances, BalancesQuery } from "../schemas/balances.js";
import { idParam, problemResponses } from "../schemas/common.js";

const { 400: bad, 404: notFound } = problemResponses;

export const balanceRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/users/:userid/balances",
      {
        schema: {
          operationId: "getUserBalances",
          tags: ["balances"],
          summary: "Whom the user owes and who owes the user; ?simplify=true for fewest transfers",
          params: idParam("userid"),
          querystring: BalancesQuery,
          response: { 200: Balances, 400: bad, 404: notFound },
        },
      },
      async (req) => {
        const simplify = req.query.simplify;
        return presentBalances(
          await getBalances(ctx, req.params.userid, { simplify }, actorId(req)),
          simplify,
        );
      },
    );
  };
