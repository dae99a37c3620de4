import type { FastifyReply, FastifyRequest } from "fastify";
import type { FieldIssue } from "../domain/errors.js";

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  errors?: FieldIssue[];
}

/** Problem types are documented in the README ("Errors"); `type` is a stable identifier. */
export const problemType = (slug: string) => `https://evenly.dev/problems/${slug}`;

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  p: Omit<Problem, "type" | "instance" | "request_id"> & { slug: string },
): FastifyReply {
  const { slug, ...rest } = p;
  const body: Problem = {
    type: problemType(slug),
    ...rest,
    instance: request.url.split("?")[0] ?? request.url,
    request_id: String(request.id),
  };
  return reply.code(p.status).type("application/problem+json").send(body);
}
