import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../services/context.js";
import { createUser, deactivateUserById, getUser, searchUsers } from "../../services/users.js";
import { toPage } from "../pagination.js";
import { presentUser } from "../presenters.js";
import { decodeCursor, idParam, problemResponses } from "../schemas/common.js";
import { CreateUserBody, User, UserList, UserListQuery } from "../schemas/users.js";

const { 400: bad, 404: notFound, 409: conflict, 422: rule } = problemResponses;

export const userRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/users",
      {
        schema: {
          tags: ["users"],
          summary: "Register a user",
          body: CreateUserBody,
          response: { 201: User, 400: bad, 409: conflict, 422: rule },
        },
      },
      async (req, reply) => {
        const { name, email, mobile_number } = req.body;
        const user = await createUser(ctx, { name, email, mobileNumber: mobile_number });
        return reply.code(201).send(presentUser(user));
      },
    );

    app.get(
      "/users",
      {
        schema: {
          tags: ["users"],
          summary: "List active users, optionally by name/email prefix",
          querystring: UserListQuery,
          response: { 200: UserList, 400: bad },
        },
      },
      async (req) => {
        const afterId = decodeCursor(req.query.cursor, z.number().int().nonnegative()) ?? 0;
        const rows = await searchUsers(ctx, {
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
          tags: ["users"],
          summary: "Get a user",
          params: idParam("userid"),
          response: { 200: User, 400: bad, 404: notFound },
        },
      },
      async (req) => presentUser(await getUser(ctx, req.params.userid)),
    );

    app.delete(
      "/users/:userid",
      {
        schema: {
          tags: ["users"],
          summary: "Deactivate a user (refused while any balance is non-zero)",
          params: idParam("userid"),
          response: { 204: z.undefined(), 400: bad, 404: notFound, 409: conflict },
        },
      },
      async (req, reply) => {
        await deactivateUserById(ctx, req.params.userid);
        return reply.code(204).send();
      },
    );
  };
