import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { getBalances } from "../../services/balances.js";
import type { AppContext } from "../../services/context.js";
import { actorId } from "../actor.js";
import { presentBalances } from "../presenters.js";
import { Balances, BalancesQuery } from "../schemas/balances.js";
import { idParam, problemResponses } from "../schemas/common.js";

const { 400: bad, 404: notFound, 422: rule } = problemResponses;

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
          description:
            "With ?convert_to=EUR (an ISO 4217 code), also `converted`: the nets summed into that currency at the newest stored ECB rates, for viewing; 422 naming each currency without a rate.",
          params: idParam("userid"),
          querystring: BalancesQuery,
          response: {
            200: Balances,
            400: bad,
            404: notFound,
            422: rule.describe("No exchange rate for a currency that convert_to needs (named)"),
          },
        },
      },
      async (req) => {
        const { simplify, convert_to: convertTo } = req.query;
        return presentBalances(
          await getBalances(ctx, req.params.userid, { simplify, convertTo }, actorId(req)),
          simplify,
        );
      },
    );
  };
