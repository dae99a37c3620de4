import type { FastifyError, FastifyInstance } from "fastify";
import { problemFor } from "./error-map.js";
import { sendProblem } from "./problem.js";

/**
 * The JSON API's error responses: problem+json with the status, type and title of the one table
 * (error-map.ts), which the pages use too.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { headers, log, ...problem } = problemFor(err, request);
    if (log) request.log[log.level]({ err }, log.message);
    for (const [name, value] of Object.entries(headers ?? {})) reply.header(name, value);
    return sendProblem(request, reply, problem);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, {
      slug: "not-found",
      title: "Not found",
      status: 404,
      detail: `No route ${request.method} ${request.url.split("?")[0]}`,
    }),
  );
}
