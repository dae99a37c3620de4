import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { Unauthenticated } from "../../domain/errors.js";
import {
  authenticate,
  changePassword,
  claimAccount,
  requestClaimLink,
} from "../../services/accounts.js";
import { issueApiToken, listUserTokens, revokeUserToken } from "../../services/api-tokens.js";
import type { AppContext } from "../../services/context.js";
import { getUser } from "../../services/users.js";
import { actorId, requireActor } from "../actor.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { presentUser } from "../presenters.js";
import {
  ClaimLinkRequest,
  ClaimRequest,
  IssuedToken,
  PasswordChange,
  TokenInfo,
  TokenRequest,
} from "../schemas/auth.js";
import { idParam, problemResponses } from "../schemas/common.js";
import { User } from "../schemas/users.js";

const { 400: bad, 401: unauth, 404: notFound, 422: rule, 429: tooMany } = problemResponses;

/** Log-in for API clients (bearer tokens), token management, claiming and passwords. */
export const authRoutes =
  (ctx: AppContext, limits: AuthRateLimits): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/auth/token",
      {
        config: { auth: "public" },
        schema: {
          operationId: "createToken",
          tags: ["auth"],
          summary: "Log in: exchange email and password for a bearer token",
          body: TokenRequest,
          response: { 201: IssuedToken, 400: bad, 401: unauth, 429: tooMany },
        },
      },
      async (req, reply) => {
        const { email, password, label } = req.body;
        await limits.beforeLogin(req.ip, email);
        let user: Awaited<ReturnType<typeof authenticate>>;
        try {
          user = await authenticate(ctx, email, password);
        } catch (err) {
          if (err instanceof Unauthenticated) await limits.loginFailed(email);
          throw err;
        }
        await limits.loginSucceeded(email);
        const issued = await issueApiToken(ctx, user.id, label ?? "API token");
        return reply.code(201).send({
          token: issued.token,
          expires_at: issued.expiresAt.toISOString(),
          token_id: issued.id,
        });
      },
    );

    app.delete(
      "/auth/token",
      {
        schema: {
          operationId: "revokeCurrentToken",
          tags: ["auth"],
          summary: "Log out: revoke the token this request is made with",
          response: { 204: z.undefined() },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        if (actor.tokenId === undefined) throw new Unauthenticated("Not a token request");
        await revokeUserToken(ctx, actor.userId, actor.tokenId);
        return reply.code(204).send();
      },
    );

    app.get(
      "/auth/tokens",
      {
        schema: {
          operationId: "listTokens",
          tags: ["auth"],
          summary: "Your live API tokens (never their secrets)",
          response: { 200: z.object({ items: z.array(TokenInfo) }) },
        },
      },
      async (req) => {
        const actor = requireActor(req);
        const rows = await listUserTokens(ctx, actor.userId);
        return {
          items: rows.map((t) => ({
            token_id: t.id,
            label: t.label,
            created_at: t.createdAt.toISOString(),
            expires_at: t.expiresAt.toISOString(),
            last_used_at: t.lastUsedAt?.toISOString() ?? null,
            current: t.id === actor.tokenId,
          })),
        };
      },
    );

    app.delete(
      "/auth/tokens/:tokenid",
      {
        schema: {
          operationId: "revokeToken",
          tags: ["auth"],
          summary: "Revoke one of your tokens",
          params: idParam("tokenid"),
          response: { 204: z.undefined(), 400: bad, 404: notFound },
        },
      },
      async (req, reply) => {
        await revokeUserToken(ctx, actorId(req), req.params.tokenid);
        return reply.code(204).send();
      },
    );

    app.get(
      "/auth/me",
      {
        schema: {
          operationId: "getCurrentUser",
          tags: ["auth"],
          summary: "The user the token belongs to",
          response: { 200: User },
        },
      },
      async (req) => presentUser(await getUser(ctx, actorId(req), actorId(req))),
    );

    app.post(
      "/auth/claim",
      {
        config: { auth: "public" },
        schema: {
          operationId: "claimAccount",
          tags: ["auth"],
          summary: "Claim an invited account with the one-time link's token and a new password",
          body: ClaimRequest,
          response: { 200: User, 400: bad, 422: rule, 429: tooMany },
        },
      },
      async (req) => {
        await limits.beforeSignup(req.ip);
        return presentUser(
          await claimAccount(ctx, req.body.token, req.body.password, req.body.mobile_number),
        );
      },
    );

    app.post(
      "/auth/claim-link",
      {
        config: { auth: "public" },
        schema: {
          operationId: "sendClaimLink",
          tags: ["auth"],
          summary: "Mail a fresh claim link to an invited user (answers the same for any email)",
          body: ClaimLinkRequest,
          response: { 202: z.object({ status: z.literal("accepted") }), 400: bad, 429: tooMany },
        },
      },
      async (req, reply) => {
        await limits.beforeSignup(req.ip);
        await requestClaimLink(ctx, req.body.email);
        return reply.code(202).send({ status: "accepted" as const });
      },
    );

    app.post(
      "/auth/password",
      {
        schema: {
          operationId: "changePassword",
          tags: ["auth"],
          summary: "Change your password (ends your page sessions; API tokens stay until revoked)",
          body: PasswordChange,
          response: { 204: z.undefined(), 400: bad, 422: rule },
        },
      },
      async (req, reply) => {
        await changePassword(ctx, actorId(req), req.body.current_password, req.body.new_password);
        return reply.code(204).send();
      },
    );
  };
