import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * preHandler for every page: nobody logged in → the login page, which sends the user back to
 * the page they asked for (`next` is a local path; the login page must check it stays local).
 */
export async function requirePageActor(request: FastifyRequest, reply: FastifyReply) {
  if (request.actor) return;
  const next = request.method === "GET" ? request.url : "/app";
  return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
}
