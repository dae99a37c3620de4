import type { FastifyInstance, FastifyRequest } from "fastify";
import { Unauthenticated } from "../domain/errors.js";

/** Who is making the request: set by the auth layer from a bearer token or a page session. */
export interface Actor {
  userId: number;
  via: "token" | "session";
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
