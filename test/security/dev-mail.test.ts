import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { fileMailer } from "../../src/smtp/mailer.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

const dataDir = mkdtempSync(path.join(tmpdir(), "evenly-devmail-"));
const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** An app on its own database whose mails go to `dataDir` (no SMTP_URL: the file mailer). */
async function app(env: Record<string, string> = {}) {
  const t = await startTestApp({ env: { DATA_DIR: dataDir, ...env } });
  apps.push(t);
  return t;
}

/** A mail as the worker writes it without a mail server: an .eml file under DATA_DIR/mail. */
async function mailTo(to: string, subject: string) {
  const mailer = fileMailer(dataDir, "Evenly <evenly@localhost>");
  await mailer.send({
    to,
    subject,
    text: `Set your password: http://localhost:3000/claim?token=secret-${subject}`,
    html: `<p>Set your password: <a href="http://localhost:3000/claim?token=secret-${subject}">link</a></p>`,
    messageId: `<${subject}@evenly.test>`,
  });
}

const fileLinks = (html: string) =>
  [...html.matchAll(/href="\/dev\/mail\/([^"?]+)"/g)].map((m) => decodeURIComponent(m[1] ?? ""));

describe("the development mail preview", () => {
  it("is off by default, also without SMTP_URL (the default of npm start): 404", async () => {
    const t = await app();
    const a = await t.user("Asha");
    await mailTo(t.emailOf(a), "default-off");
    const s = await t.pageSession(a);
    for (const cookie of ["", s.cookie]) {
      const list = await t.app.inject({ method: "GET", url: "/dev/mail", headers: { cookie } });
      expect(list.statusCode).toBe(404);
      expect(list.body).not.toContain("default-off");
    }
    const file = await t.app.inject({ method: "GET", url: "/dev/mail/x.eml?raw=1" });
    expect(file.statusCode).toBe(404);
  });

  it("with MAIL_PREVIEW=true: log-in required, and each user sees only their own mails", async () => {
    const t = await app({ MAIL_PREVIEW: "true" });
    const a = await t.user("Asha");
    const b = await t.user("Bela");
    await mailTo(t.emailOf(a), "for-asha");
    await mailTo(t.emailOf(b).toUpperCase(), "for-bela");

    const anonymous = await t.app.inject({ method: "GET", url: "/dev/mail" });
    expect([anonymous.statusCode, anonymous.headers.location]).toEqual([
      303,
      `/login?next=${encodeURIComponent("/dev/mail")}`,
    ]);

    const sa = await t.pageSession(a);
    const list = await t.app.inject({
      method: "GET",
      url: "/dev/mail",
      headers: { cookie: sa.cookie },
    });
    expect(list.statusCode).toBe(200);
    expect(list.headers["cache-control"]).toBe("private, no-store");
    expect(list.body).toContain("for-asha");
    expect(list.body).not.toContain("for-bela");
    const [own] = fileLinks(list.body);
    expect(own).toBeDefined();
    const raw = await t.app.inject({
      method: "GET",
      url: `/dev/mail/${own}?raw=1`,
      headers: { cookie: sa.cookie },
    });
    expect(raw.statusCode).toBe(200);
    expect(raw.body).toContain("token=secret-for-asha");

    // Bela's mail (her claim link) is not Asha's to read, not even by its file name.
    const sb = await t.pageSession(b);
    const belas = fileLinks(
      (await t.app.inject({ method: "GET", url: "/dev/mail", headers: { cookie: sb.cookie } }))
        .body,
    );
    expect(belas).toHaveLength(1);
    for (const url of [`/dev/mail/${belas[0]}`, `/dev/mail/${belas[0]}?raw=1`]) {
      const res = await t.app.inject({ method: "GET", url, headers: { cookie: sa.cookie } });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain("secret-for-bela");
    }
    const anon = await t.app.inject({ method: "GET", url: `/dev/mail/${belas[0]}?raw=1` });
    expect(anon.statusCode).toBe(303);
  });

  it("is refused at start-up with NODE_ENV=production", async () => {
    expect(loadConfig({ NODE_ENV: "production" }).MAIL_PREVIEW).toBe("false");
    expect(() => loadConfig({ NODE_ENV: "production", MAIL_PREVIEW: "true" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production", MAIL_PREVIEW: "true" })).toThrow(
      /MAIL_PREVIEW: must not be true with NODE_ENV=production/,
    );
    const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { ...process.env, NODE_ENV: "production", MAIL_PREVIEW: "true", DATA_DIR: dataDir },
      stdio: "pipe",
    });
    let err = "";
    proc.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => proc.on("exit", r));
    expect(code).toBe(2);
    expect(err).toContain("MAIL_PREVIEW: must not be true with NODE_ENV=production");
  });
});
