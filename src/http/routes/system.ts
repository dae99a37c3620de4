import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../schemas/common.js";

export const systemRoutes =
  (deps: { ping: () => Promise<void> }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/healthz",
      {
        schema: {
          operationId: "getHealth",
          tags: ["system"],
          security: [],
          summary: "Liveness: the process is up",
          response: { 200: z.object({ status: z.literal("ok") }) },
        },
      },
      async () => ({ status: "ok" as const }),
    );

    app.get(
      "/readyz",
      {
        schema: {
          operationId: "getReadiness",
          tags: ["system"],
          security: [],
          summary: "Readiness: the database answers",
          response: { 200: z.object({ status: z.literal("ready") }), 503: problemResponses[503] },
        },
      },
      async () => {
        await deps.ping();
        return { status: "ready" as const };
      },
    );

    app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  };
