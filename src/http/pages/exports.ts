import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { AppContext } from "../../services/context.js";
import { type ExportFile, exportGroupCsv, exportGroupJson } from "../../services/export.js";
import { requireActor } from "../actor.js";
import { IdPath } from "./page-schemas.js";

/**
 * A download for the logged-in page user: the file the API's export gives (same service, same
 * checks: a group's current members only, 404 otherwise), saved under its name, never cached.
 */
export function sendDownload(reply: FastifyReply, file: ExportFile, type: string): FastifyReply {
  return reply
    .header("content-disposition", `attachment; filename="${file.fileName}"`)
    .header("cache-control", "private, no-store")
    .type(`${type}; charset=utf-8`)
    .send(file.text);
}

/** The group page's "Download CSV" and "Download JSON" (the profile has "my data"). */
export const groupExportPages = (ctx: AppContext) => async (scope: FastifyInstance) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.get("/groups/:id/export.csv", { schema: { params: IdPath } }, async (request, reply) => {
    const file = await exportGroupCsv(ctx, request.params.id, requireActor(request).userId);
    return sendDownload(reply, file, "text/csv");
  });

  app.get("/groups/:id/export.json", { schema: { params: IdPath } }, async (request, reply) => {
    const file = await exportGroupJson(ctx, request.params.id, requireActor(request).userId);
    return sendDownload(reply, file, "application/json");
  });
};
