import type { FastifyReply, FastifyRequest } from "fastify";
import { loginUrl } from "./local-path.js";

/**
 * preHandler for every page: nobody logged in → the login page, which sends the user back to
 * the page they asked for (`next` is a local path, checked again by the login page).
 */
export async function requirePageActor(request: FastifyRequest, reply: FastifyReply) {
  if (request.actor) return;
  const next = request.method === "GET" ? request.url : "/app";
  return reply.redirect(loginUrl(next), 303);
}
