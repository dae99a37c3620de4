import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { inviteUser, signUp } from "../../services/accounts.js";
import type { AppContext } from "../../services/context.js";
import { deactivateUserById, getUser, lookUpByEmail, searchUsers } from "../../services/users.js";
import { actorId, requireActor } from "../actor.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { toPage } from "../pagination.js";
import { presentUser } from "../presenters.js";
import { decodeCursor, Id, idParam, problemResponses } from "../schemas/common.js";
import { CreateUserBody, User, UserList, UserListQuery } from "../schemas/users.js";

const {
  400: bad,
  401: unauth,
  404: notFound,
  409: conflict,
  422: rule,
  429: tooMany,
} = problemResponses;

export const userRoutes =
  (ctx: AppContext, limits: AuthRateLimits): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/users",
      {
        config: { auth: "public" },
        schema: {
          operationId: "createUser",
          tags: ["users"],
          summary: "Sign up (with a password) or invite a friend (without one, logged in)",
          // Anonymous to sign up; a bearer token to invite.
          security: [{}, { bearerAuth: [] }],
          body: CreateUserBody,
          response: {
            201: User,
            400: bad,
            401: unauth,
            409: conflict,
            422: rule,
            429: tooMany,
          },
        },
      },
      async (req, reply) => {
        const { name, email, mobile_number, password } = req.body;
        const u = { name, email, mobileNumber: mobile_number };
        // Without a password this invites a friend, which only a logged-in user may do.
        const inviter = password === undefined ? requireActor(req).userId : null;
        if (inviter === null) await limits.beforeSignup(req.ip);
        else await limits.beforeInvite(req.ip, inviter);
        const user =
          inviter === null
            ? await signUp(ctx, { ...u, password: password ?? "" })
            : await inviteUser(ctx, u, inviter);
        return reply.code(201).send(presentUser(user));
      },
    );

    app.get(
      "/users",
      {
        schema: {
          operationId: "listUsers",
          tags: ["users"],
          summary:
            "The people you know (optionally by name/email prefix), or one user by exact email",
          querystring: UserListQuery,
          response: { 200: UserList, 400: bad },
        },
      },
      async (req) => {
        if (req.query.email !== undefined) {
          const found = await lookUpByEmail(ctx, actorId(req), req.query.email);
          const item = !found
            ? []
            : found.known
              ? [presentUser(found.user)]
              : [{ userid: found.user.id, name: found.user.name }];
          return { items: item, next_cursor: null };
        }
        const afterId = decodeCursor(req.query.cursor, Id) ?? 0;
        const rows = await searchUsers(ctx, actorId(req), {
          afterId,
          limit: req.query.limit + 1,
          prefix: req.query.q,
        });
        return toPage(rows, req.query.limit, presentUser, (u) => u.id);
      },
    );

    app.get(
      "/users/:userid",
      {
        schema: {
          operationId: "getUser",
          tags: ["users"],
          summary:
            "Get a user you know (yourself, a friend, someone you share expenses with or invited)",
          params: idParam("userid"),
          response: { 200: User, 400: bad, 404: notFound },
        },
      },
      async (req) => presentUser(await getUser(ctx, req.params.userid, actorId(req))),
    );

    app.delete(
      "/users/:userid",
      {
        schema: {
          operationId: "deactivateUser",
          tags: ["users"],
          summary: "Deactivate your own account (refused while any balance is non-zero)",
          params: idParam("userid"),
          response: { 204: z.undefined(), 400: bad, 404: notFound, 409: conflict },
        },
      },
      async (req, reply) => {
        await deactivateUserById(ctx, req.params.userid, actorId(req));
        return reply.code(204).send();
      },
    );
  };
