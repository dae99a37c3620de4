import type { FastifyInstance, onRequestHookHandler, RouteOptions } from "fastify";
import { Unauthenticated } from "../../domain/errors.js";
import { resolveApiToken } from "../../services/api-tokens.js";
import type { AppContext } from "../../services/context.js";
import { requireActor } from "../actor.js";
import { problemResponses } from "../schemas/common.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** `public`: callable without a token. Every other API route requires one. */
    auth?: "public";
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i;

/**
 * API authentication for the routes registered in `scope`: a bearer token sets `request.actor`;
 * every route requires one unless it says `config: { auth: "public" }` (secure by default, so a
 * new route cannot forget it). Runs in onRequest, before validation: an anonymous caller learns
 * nothing about request shapes.
 */
export function useApiAuth(scope: FastifyInstance, ctx: AppContext): void {
  scope.addHook("onRequest", async (request) => {
    const header = request.headers.authorization;
    if (header === undefined) return;
    const match = BEARER.exec(header);
    if (!match?.[1]) throw new Unauthenticated("The Authorization header must be 'Bearer <token>'");
    const token = await resolveApiToken(ctx, match[1]);
    if (!token) throw new Unauthenticated("The token is invalid, expired or revoked");
    request.actor = { userId: token.userId, via: "token", tokenId: token.id };
  });

  const guard: onRequestHookHandler = async (request) => {
    requireActor(request);
  };
  scope.addHook("onRoute", (route: RouteOptions) => {
    if (route.config?.auth === "public") {
      // The document says so too (a route may list the bearer scheme as optional itself).
      if (route.schema) route.schema.security ??= [];
      return;
    }
    const existing = route.onRequest;
    route.onRequest = [guard, ...(existing ? [existing].flat() : [])];
    if (route.schema) {
      route.schema.security = [{ bearerAuth: [] }];
      const response = (route.schema.response ?? {}) as Record<string, unknown>;
      response[401] ??= problemResponses[401];
      route.schema.response = response;
    }
  });
}
