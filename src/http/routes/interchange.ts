import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { toMajor } from "../../domain/currency.js";
import type { AppContext } from "../../services/context.js";
import {
  type ExportFile,
  exportGroupCsv,
  exportGroupJson,
  exportUserJson,
} from "../../services/export.js";
import { type ImportOutcome, importGroup } from "../../services/import.js";
import { actorId } from "../actor.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { idParam, problemResponses } from "../schemas/common.js";
import { ImportAnswer, ImportBody } from "../schemas/interchange.js";

const {
  400: bad,
  404: notFound,
  409: conflict,
  413: tooLarge,
  422: rule,
  429: tooMany,
} = problemResponses;

const present = (o: ImportOutcome) => ({
  groupid: o.groupId,
  dry_run: o.dryRun,
  group: o.group,
  members: o.members.map((m) => ({ name: m.name, userid: m.userId, email: m.email })),
  expenses: o.expenses,
  settlements: o.settlements,
  nets: o.nets.map((n) => ({
    name: n.name,
    userid: n.userId,
    currency: n.currency,
    amount: toMajor(n.amount, n.currency),
  })),
  problems: o.problems,
});

const download = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: z.string() } },
});

/** Export (Splitwise CSV, Evenly JSON) and import (POST /groups/import). */
export const interchangeRoutes =
  (ctx: AppContext, limits: AuthRateLimits): FastifyPluginAsyncZod =>
  async (app) => {
    const send = (reply: { header: (k: string, v: string) => unknown }, file: ExportFile) =>
      reply.header("content-disposition", `attachment; filename="${file.fileName}"`);

    app.get(
      "/groups/:groupid/export.csv",
      {
        schema: {
          operationId: "exportGroupCsv",
          tags: ["export and import"],
          summary: "The group in Splitwise's CSV layout (members only)",
          description:
            "Header `Date,Description,Category,Cost,Currency,<member name>…`; one row per expense or settlement (Category `Payment`), each member's cell paid minus share; a blank row; a `Total balance` row per currency. Cells that a spreadsheet would run as a formula start with `'`.",
          params: idParam("groupid"),
          response: {
            200: download("text/csv", "The CSV file"),
            400: bad,
            404: notFound,
          },
        },
      },
      async (req, reply) => {
        const file = await exportGroupCsv(ctx, req.params.groupid, actorId(req));
        send(reply, file);
        return reply.type("text/csv; charset=utf-8").send(file.text);
      },
    );

    app.get(
      "/groups/:groupid/export.json",
      {
        schema: {
          operationId: "exportGroupJson",
          tags: ["export and import"],
          summary: "The group as an Evenly JSON file, importable again (members only)",
          description:
            "`format_version` 1: the group, members (with `userid`), expenses (with `id`) with payers, shares and split values, settlements (with `id`), and `activity`: the group's whole log, oldest first, each entry as `GET /groups/{id}/activity` gives it. An import ignores the ids and the activity.",
          params: idParam("groupid"),
          response: {
            200: download("application/json", "The Evenly JSON file"),
            400: bad,
            404: notFound,
          },
        },
      },
      async (req, reply) => {
        const file = await exportGroupJson(ctx, req.params.groupid, actorId(req));
        send(reply, file);
        return reply.type("application/json; charset=utf-8").send(file.text);
      },
    );

    app.get(
      "/users/:userid/export.json",
      {
        schema: {
          operationId: "exportUserJson",
          tags: ["export and import"],
          summary: "Everything of yours as JSON: each of your groups, and what is outside groups",
          description:
            "`{format_version, user, groups: [Evenly group file + groupid], outside_groups: Evenly group file}`; each group file has the group's activity, `outside_groups` the rest of yours. Your own id only (404 otherwise).",
          params: idParam("userid"),
          response: {
            200: download("application/json", "The Evenly JSON export"),
            400: bad,
            404: notFound,
          },
        },
      },
      async (req, reply) => {
        const file = await exportUserJson(ctx, req.params.userid, actorId(req));
        send(reply, file);
        return reply.type("application/json; charset=utf-8").send(file.text);
      },
    );

    app.post(
      "/groups/import",
      {
        bodyLimit: ctx.config.IMPORT_MAX_BYTES,
        schema: {
          operationId: "importGroup",
          tags: ["export and import"],
          summary: "Import a group from a Splitwise CSV, Spliit JSON or Evenly JSON export",
          description:
            "All or nothing, reproducing the file's balances exactly (422 otherwise). Map every member name of the file to a user id you know or `{name, email}` (invited, or befriended if they have an account). `dry_run` writes nothing (200). The same file imported again by you → 409 unless `allow_duplicate`. Bodies over `IMPORT_MAX_BYTES` → 413; a file of more than `IMPORT_MAX_ROWS` expenses and settlements → 422 before any row is read. Each person invited counts against your invitations (`INVITE_RATE_LIMIT` per window, shared with POST /friends): over it → 429 with Retry-After; more than `IMPORT_MAX_INVITES` invitations in one import → 422. Every expense and settlement keeps the file's currency; the group takes the file's (Splitwise: the currency of the most rows), and `nets` are per currency in its units.",
          body: ImportBody,
          response: {
            200: ImportAnswer,
            201: ImportAnswer,
            400: bad,
            409: conflict,
            413: tooLarge,
            422: rule,
            429: tooMany,
          },
        },
      },
      async (req, reply) => {
        const actor = actorId(req);
        const outcome = await importGroup(ctx, req.body, actor, limits.invitesOf(actor));
        return reply.code(outcome.dryRun ? 200 : 201).send(present(outcome));
      },
    );
  };
