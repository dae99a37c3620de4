import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { type ParsedMail, simpleParser } from "mailparser";
import { z } from "zod";
import { escapeHtml } from "../../lib/html.js";
import { mailFolder } from "../../notifications/mailer.js";
import type { AppContext } from "../../services/context.js";
import { getUser } from "../../services/users.js";
import { requireActor } from "../actor.js";
import { requirePageActor } from "./guard.js";
import { OptionalTextQuery, pageQuery } from "./page-schemas.js";

/** Bounds the work of one page view: the newest files looked at, the mails listed. */
const SCAN_LIMIT = 2000;
const LIST_LIMIT = 200;
const FILE_NAME = /^[\w.-]+\.eml$/;

const recipients = (mail: ParsedMail) =>
  [mail.to ?? []]
    .flat()
    .flatMap((group) => group.value)
    .map((a) => a.address?.toLowerCase() ?? "");

const page = (reply: FastifyReply, title: string, body: string) =>
  reply
    .header("cache-control", "private, no-store")
    .type("text/html; charset=utf-8")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Evenly</title></head><body>${body}</body></html>`,
    );

/**
 * Development only (MAIL_PREVIEW=true; refused in production): the .eml files the file mailer
 * writes under DATA_DIR/mail when no mail server is configured. Log-in required, and each user
 * sees only the mails addressed to them: a claim link in someone else's mail is a log-in as them.
 */
export const devMailPages = (ctx: AppContext) => async (scope: FastifyInstance) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const dir = mailFolder(ctx.config.dataDir);
  app.addHook("preValidation", requirePageActor);

  const myEmail = async (userId: number) =>
    (await getUser(ctx, userId, userId)).email.toLowerCase();
  const parse = async (name: string) => {
    const raw = await readFile(path.join(dir, name));
    return { raw, mail: await simpleParser(raw) };
  };
  const newestFiles = async () =>
    (await readdir(dir).catch(() => []))
      .filter((f) => FILE_NAME.test(f))
      .sort()
      .reverse()
      .slice(0, SCAN_LIMIT);

  app.get("/dev/mail", async (request, reply) => {
    const email = await myEmail(requireActor(request).userId);
    const rows: string[] = [];
    for (const name of await newestFiles()) {
      if (rows.length >= LIST_LIMIT) break;
      const { mail } = await parse(name);
      if (!recipients(mail).includes(email)) continue;
      const href = `/dev/mail/${encodeURIComponent(name)}`;
      rows.push(
        `<tr><td>${escapeHtml(mail.date?.toISOString() ?? "")}</td><td><a href="${href}">${escapeHtml(mail.subject ?? "")}</a> (<a href="${href}?raw=1">raw</a>)</td></tr>`,
      );
    }
    return page(
      reply,
      "Mail preview",
      `<h1>Mail preview (development)</h1><p>Mails to ${escapeHtml(email)} written under DATA_DIR/mail (no mail server configured).</p><table><tr><th>Date</th><th>Subject</th></tr>${rows.join("")}</table>`,
    );
  });

  const schema = {
    params: z.object({ file: z.string() }),
    querystring: pageQuery({ raw: OptionalTextQuery }),
  };
  app.get("/dev/mail/:file", { schema }, async (request, reply) => {
    const file = request.params.file;
    const email = await myEmail(requireActor(request).userId);
    // Someone else's mail answers like a missing one (404), so names cannot be probed.
    if (!FILE_NAME.test(file) || !(await newestFiles()).includes(file)) return reply.callNotFound();
    const { raw, mail } = await parse(file);
    if (!recipients(mail).includes(email)) return reply.callNotFound();
    if (request.query.raw)
      return reply
        .header("cache-control", "private, no-store")
        .type("text/plain; charset=utf-8")
        .send(raw.toString("utf8"));
    // The mail's own HTML (escaped by our renderer), shown in a sandboxed frame.
    const html = typeof mail.html === "string" ? mail.html : escapeHtml(mail.text ?? "");
    return page(
      reply,
      mail.subject ?? "",
      `<p><a href="/dev/mail">All your mails</a></p><h1>${escapeHtml(mail.subject ?? "")}</h1><iframe sandbox title="mail" srcdoc="${escapeHtml(html)}"></iframe>`,
    );
  });
};
