import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { amountIn } from "../../domain/balances.js";
import { toMajor } from "../../domain/currency.js";
import type { AppContext } from "../../services/context.js";
import { addFriend, listFriends, removeFriend } from "../../services/friends.js";
import { actorId } from "../actor.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { toPage } from "../pagination.js";
import { decodeCursor, idParam, problemResponses } from "../schemas/common.js";
import { AddFriendBody, Friend, FriendList, FriendListQuery } from "../schemas/friends.js";

const { 400: bad, 404: notFound, 409: conflict, 422: rule, 429: tooMany } = problemResponses;

/** Friends: the people you may add to expenses and settlements (see src/db/repos/knows.ts). */
export const friendRoutes =
  (ctx: AppContext, limits: AuthRateLimits): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/friends",
      {
        schema: {
          operationId: "addFriend",
          tags: ["friends"],
          summary: "Add a friend by exact email (with a name: invite someone who has no account)",
          description:
            "201 when a new friendship (or invitation) was made, 200 if you already were friends. An unknown email without `name`, or your own, is 422.",
          body: AddFriendBody,
          response: { 200: Friend, 201: Friend, 400: bad, 409: conflict, 422: rule, 429: tooMany },
        },
      },
      async (req, reply) => {
        // With a name this may create an account (an invitation): limited like POST /users.
        const actor = actorId(req);
        if (req.body.name !== undefined) await limits.beforeInvite(req.ip, actor);
        const { friend, created } = await addFriend(ctx, actor, req.body);
        return reply
          .code(created ? 201 : 200)
          .send({ userid: friend.id, name: friend.name, email: friend.email });
      },
    );

    app.get(
      "/friends",
      {
        schema: {
          operationId: "listFriends",
          tags: ["friends"],
          summary: "Your friends, each with the balance between you",
          querystring: FriendListQuery,
          response: { 200: FriendList, 400: bad },
        },
      },
      async (req) => {
        const afterId = decodeCursor(req.query.cursor, z.number().int().nonnegative()) ?? 0;
        const rows = await listFriends(ctx, actorId(req), {
          afterId,
          limit: req.query.limit + 1,
        });
        return toPage(
          rows,
          req.query.limit,
          (f) => ({
            userid: f.id,
            name: f.name,
            email: f.email,
            balance: toMajor(
              amountIn(f.balances, ctx.config.APP_CURRENCY),
              ctx.config.APP_CURRENCY,
            ),
            balances: f.balances.map((b) => ({
              currency: b.currency,
              amount: toMajor(b.amount, b.currency),
            })),
          }),
          (f) => f.id,
        );
      },
    );

    app.delete(
      "/friends/:userid",
      {
        schema: {
          operationId: "removeFriend",
          tags: ["friends"],
          summary: "Remove a friend (refused while either of you owes the other)",
          params: idParam("userid"),
          response: { 204: z.undefined(), 400: bad, 404: notFound, 409: conflict },
        },
      },
      async (req, reply) => {
        await removeFriend(ctx, actorId(req), req.params.userid);
        return reply.code(204).send();
      },
    );
  };
