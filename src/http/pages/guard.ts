import type { FastifyReply, FastifyRequest } from "fastify";
import { loginUrl } from "./local-path.js";

/**
 * preValidation hook of every page that needs a log-in (before the route's schemas, so a visitor
 * not logged in always goes to the log-in page): it sends the user back to the page they asked
 * for afterwards (`next` is a local path, checked again by the login page).
 */
export async function requirePageActor(request: FastifyRequest, reply: FastifyReply) {
  if (request.actor) return;
  const next = request.method === "GET" ? request.url : "/app";
  return reply.redirect(loginUrl(next), 303);
}
