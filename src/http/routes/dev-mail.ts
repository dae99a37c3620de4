import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { simpleParser } from "mailparser";
import { z } from "zod";
import { escapeHtml } from "../../lib/html.js";
import { mailFolder } from "../../notifications/mailer.js";

/** Development-only: the mails written to DATA_DIR/mail when no SMTP server is configured. */
export const devMailRoutes =
  (dataDir: string): FastifyPluginAsyncZod =>
  async (app) => {
    const dir = mailFolder(dataDir);
    const files = () => {
      try {
        return readdirSync(dir)
          .filter((f) => f.endsWith(".eml"))
          .sort()
          .reverse();
      } catch {
        return [];
      }
    };
    app.get("/dev/mail", { schema: { hide: true } }, async (_req, reply) => {
      const rows = await Promise.all(
        files()
          .slice(0, 200)
          .map(async (f) => {
            const mail = await simpleParser(readFileSync(path.join(dir, f)));
            const to = Array.isArray(mail.to)
              ? mail.to.map((a) => a.text).join(", ")
              : (mail.to?.text ?? "");
            return `<tr><td>${escapeHtml(mail.date?.toISOString() ?? "")}</td><td>${escapeHtml(to)}</td><td><a href="/dev/mail/${encodeURIComponent(f)}">${escapeHtml(mail.subject ?? "")}</a> (<a href="/dev/mail/${encodeURIComponent(f)}?raw=1">raw</a>)</td></tr>`;
          }),
      );
      reply.type("text/html; charset=utf-8");
      return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mail preview · Evenly</title></head><body style="font-family:sans-serif"><h1>Mail preview (development)</h1><p>Mails written to ${escapeHtml(dir)} because SMTP_URL is not set.</p><table cellpadding="4"><tr><th>Date</th><th>To</th><th>Subject</th></tr>${rows.join("")}</table></body></html>`;
    });
    app.get(
      "/dev/mail/:file",
      {
        schema: {
          hide: true,
          params: z.object({ file: z.string().regex(/^[\w.-]+\.eml$/) }),
          querystring: z.object({ raw: z.string().optional() }),
        },
      },
      async (req, reply) => {
        if (!files().includes(req.params.file)) return reply.callNotFound();
        const raw = readFileSync(path.join(dir, req.params.file));
        if (req.query.raw)
          return reply.type("text/plain; charset=utf-8").send(raw.toString("utf8"));
        // The mail's own HTML (escaped by our renderer), shown in a sandboxed frame.
        const mail = await simpleParser(raw);
        const html = typeof mail.html === "string" ? mail.html : escapeHtml(mail.text ?? "");
        reply.type("text/html; charset=utf-8");
        return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(mail.subject ?? "")}</title></head><body style="font-family:sans-serif"><p><a href="/dev/mail">All mails</a></p><h1>${escapeHtml(mail.subject ?? "")}</h1><iframe sandbox title="mail" style="width:100%;height:70vh;border:1px solid #ccc" srcdoc="${escapeHtml(html)}"></iframe></body></html>`;
      },
    );
  };
