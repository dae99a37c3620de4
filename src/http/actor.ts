import type { FastifyInstance, FastifyRequest } from "fastify";
import { Unauthenticated } from "../domain/errors.js";

/** Who is making the request: set by the auth layer from a bearer token or a page session. */
export interface Actor {
  userId: number;
  via: "token" | "session";
  /** The API token used (so DELETE /auth/token can revoke exactly it). */
  tokenId?: number;
}

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function decorateActor(app: FastifyInstance): void {
  app.decorateRequest("actor", null);
}

/** The acting user's id; throws Unauthenticated (401) when nobody is logged in. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new Unauthenticated();
  return request.actor;
}

/** The acting user's id (for handlers behind the secure-by-default guard). */
export const actorId = (request: FastifyRequest): number => requireActor(request).userId;
