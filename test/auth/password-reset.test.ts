import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/http/auth/page-session.js";
import { cookieFrom, csrfFrom } from "../helpers/app.js";
import type { TestDatabase } from "../helpers/database.js";
import { type MailApp, startMailApp } from "../helpers/mail-app.js";
import type { SmtpSink } from "../helpers/smtp.js";

/** "Forgot password" over HTTP, with the real notification pipeline and a real SMTP server. */

let m: MailApp;
let db: TestDatabase;
let smtp: SmtpSink;
let app: FastifyInstance;

const RESET_LIMIT = 8;
beforeAll(async () => {
  m = await startMailApp({ SIGNUP_RATE_LIMIT: String(RESET_LIMIT), RESET_TTL_MINUTES: "30" });
  ({ db, smtp, app } = m);
});
afterAll(async () => m.close());
beforeEach(async () => {
  await db.reset();
  smtp.mails.length = 0;
});

let ipCounter = 0;
/** A fresh client IP per request unless given, so only the rate-limit test meets the limit. */
const freshIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function call(
  method: "GET" | "POST",
  url: string,
  body?: object,
  token?: string,
  ip = freshIp(),
) {
  const res = await app.inject({
    method,
    url,
    remoteAddress: ip,
    ...(body ? { payload: body } : {}),
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  const json: any = res.body ? JSON.parse(res.body) : undefined;
  return { status: res.statusCode, body: json, headers: res.headers };
}

const OLD = "tamarind-rickshaw-42";
const NEW = "monsoon-chai-kettle-77";
let n = 0;
async function signUp(name: string) {
  const email = `${name.toLowerCase()}${++n}@example.com`;
  const res = await call("POST", "/users", {
    name,
    email,
    mobile_number: "+919800000000",
    password: OLD,
  });
  expect(res.status).toBe(201);
  return { id: res.body.userid as number, email };
}
const logIn = (email: string, password: string) => call("POST", "/auth/token", { email, password });

/** Asks for a reset of `email` and returns the token from the mail's link. */
async function requestReset(email: string, mailsBefore = smtp.mails.length) {
  const res = await call("POST", "/auth/password-reset", { email });
  expect(res.status).toBe(202);
  await smtp.waitFor(mailsBefore + 1);
  const mail = smtp.mails[mailsBefore];
  expect(mail?.subject).toBe("Reset your Evenly password");
  const link = /http:\/\/evenly\.test\/password-reset\/confirm\?token=([A-Za-z0-9_-]+)/.exec(
    mail?.text ?? "",
  );
  expect(link).not.toBeNull();
  return link?.[1] ?? "";
}

const confirm = (token: string, password: string) =>
  call("POST", "/auth/password-reset/confirm", { token, password });

async function pageLogIn(email: string, password: string) {
  const page = await app.inject({ method: "GET", url: "/login" });
  const cookie = cookieFrom(page.headers["set-cookie"], SESSION_COOKIE) ?? "";
  const res = await postForm("/login", cookie, { _csrf: csrfFrom(page.body), email, password });
  expect(res.statusCode).toBe(303);
  return cookieFrom(res.headers["set-cookie"], SESSION_COOKIE) ?? "";
}
const postForm = (url: string, cookie: string, fields: Record<string, string>) =>
  app.inject({
    method: "POST",
    url,
    remoteAddress: freshIp(),
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams(fields).toString(),
  });
const loggedIn = async (cookie: string) =>
  (await app.inject({ method: "GET", url: "/app", headers: { cookie } })).statusCode === 200;

describe("password reset over the API", () => {
  it("mails a one-time link; the new password works, and every session and token ends", async () => {
    const u = await signUp("Meera");
    const apiToken = (await logIn(u.email, OLD)).body.token;
    const pageCookie = await pageLogIn(u.email, OLD);
    expect(await loggedIn(pageCookie)).toBe(true);

    const token = await requestReset(u.email.toUpperCase());
    expect(smtp.mails[0]?.text).toContain("for 30 minutes");
    // Stored hashed only, as purpose "reset", expiring after RESET_TTL_MINUTES.
    const rows = (await db.db.execute(
      sql`select purpose, token_hash, round(extract(epoch from expires_at - now()) / 60)::int as minutes from account_links`,
    )) as unknown as { rows: { purpose: string; token_hash: string; minutes: number }[] };
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({ purpose: "reset", minutes: 30 });
    expect(JSON.stringify(rows.rows)).not.toContain(token);
    // Requesting the reset alone changes nothing.
    expect((await call("GET", "/auth/me", undefined, apiToken)).status).toBe(200);

    expect((await confirm(token, NEW)).status).toBe(204);
    expect((await logIn(u.email, OLD)).status).toBe(401);
    expect((await logIn(u.email, NEW)).status).toBe(201);
    expect((await call("GET", "/auth/me", undefined, apiToken)).status).toBe(401);
    expect(await loggedIn(pageCookie)).toBe(false);

    // Single use: the second try finds the link gone.
    const again = await confirm(token, "another-fine-password-9");
    expect(again.status).toBe(410);
    expect(again.body.type).toMatch(/\/gone$/);
    expect((await logIn(u.email, NEW)).status).toBe(201);
  });

  it("refuses a weak password with 422 and the link stays usable", async () => {
    const u = await signUp("Kabir");
    const token = await requestReset(u.email);
    const weak = await confirm(token, "short");
    expect(weak.status).toBe(422);
    expect(weak.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: "password" })]),
    );
    expect((await logIn(u.email, OLD)).status).toBe(201);
    expect((await confirm(token, NEW)).status).toBe(204);
  });

  it("answers 410 for an expired link and 400 for one never issued", async () => {
    const u = await signUp("Ravi");
    const token = await requestReset(u.email);
    await db.db.execute(sql`update account_links set expires_at = now() - interval '1 second'`);
    expect((await confirm(token, NEW)).status).toBe(410);
    const unknown = await confirm(`reset_${"A".repeat(43)}`, NEW);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: "token" })]);
    expect((await confirm("", NEW)).status).toBe(400);
    // Hostile shapes are a 400 too, never a 500.
    expect((await confirm("x".repeat(10_000), NEW)).status).toBe(400);
    expect(
      (await call("POST", "/auth/password-reset/confirm", { token, password: NEW, admin: true }))
        .status,
    ).toBe(400);
    expect(
      (await call("POST", "/auth/password-reset", { email: "a\u0000@example.com" })).status,
    ).toBe(400);
    expect((await call("POST", "/auth/password-reset", { email: ["a@example.com"] })).status).toBe(
      400,
    );
    expect((await logIn(u.email, OLD)).status).toBe(201);
  });

  it("a claim link is no reset link, nor the other way round", async () => {
    const u = await signUp("Isha");
    const token = await requestReset(u.email);
    expect((await call("POST", "/auth/claim", { token, password: NEW })).status).toBe(422);
    expect((await confirm(token, NEW)).status).toBe(204);
  });

  it("answers 202 for an unknown email and sends nothing", async () => {
    const known = await signUp("Tara");
    expect((await call("POST", "/auth/password-reset", { email: "not an email" })).status).toBe(
      400,
    );
    const res = await call("POST", "/auth/password-reset", { email: "nobody@example.com" });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: "accepted" });
    const outbox = (await db.db.execute(
      sql`select count(*)::int as n from outbox where kind = 'account.password_reset'`,
    )) as unknown as { rows: { n: number }[] };
    expect(outbox.rows[0]?.n).toBe(0);
    // A known email right after: exactly its one mail arrives, none for the unknown one.
    await requestReset(known.email, 0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.mails.map((mail) => (mail.to && "text" in mail.to ? mail.to.text : ""))).toEqual([
      known.email,
    ]);
  });

  it("rate-limits requests and confirmations per IP (429 with Retry-After)", async () => {
    const ip = "10.9.9.9";
    for (let i = 0; i < RESET_LIMIT; i++)
      expect(
        (await call("POST", "/auth/password-reset", { email: `x${i}@example.com` }, undefined, ip))
          .status,
      ).toBe(202);
    const limited = await call(
      "POST",
      "/auth/password-reset",
      { email: "y@example.com" },
      undefined,
      ip,
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    const confirmLimited = await call(
      "POST",
      "/auth/password-reset/confirm",
      { token: "reset_x", password: NEW },
      undefined,
      ip,
    );
    expect(confirmLimited.status).toBe(429);
    // Another address is not affected.
    expect((await call("POST", "/auth/password-reset", { email: "y@example.com" })).status).toBe(
      202,
    );
  });
});

describe("password reset pages", () => {
  it("from the log-in page to a new password, with errors shown on the form", async () => {
    const u = await signUp("Zoya");
    const oldSession = await pageLogIn(u.email, OLD);

    const login = await app.inject({ method: "GET", url: "/login" });
    expect(login.body).toContain('href="/password-reset"');
    const ask = await app.inject({ method: "GET", url: "/password-reset" });
    expect(ask.statusCode).toBe(200);
    const cookie = cookieFrom(ask.headers["set-cookie"], SESSION_COOKIE) ?? "";
    const csrf = csrfFrom(ask.body);

    const badEmail = await postForm("/password-reset", cookie, {
      _csrf: csrf,
      email: "not-an-email",
    });
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.body).toContain('id="e-email"');
    // Unknown and known emails get the same page.
    const unknown = await postForm("/password-reset", cookie, {
      _csrf: csrf,
      email: "ghost@example.com",
    });
    const known = await postForm("/password-reset", cookie, { _csrf: csrf, email: u.email });
    expect(unknown.statusCode).toBe(200);
    expect(known.statusCode).toBe(200);
    expect(unknown.body).toContain("Check your mail");
    expect(known.body.replace(/name="_csrf" value="[^"]+"/g, "")).toBe(
      unknown.body.replace(/name="_csrf" value="[^"]+"/g, ""),
    );
    // Without the CSRF token nothing is sent.
    expect((await postForm("/password-reset", cookie, { email: u.email })).statusCode).toBe(403);

    await smtp.waitFor(1);
    const link = /http:\/\/evenly\.test(\/password-reset\/confirm\?token=[A-Za-z0-9_-]+)/.exec(
      smtp.mails[0]?.text ?? "",
    );
    const path = link?.[1] ?? "";
    const token = new URL(path, "http://x").searchParams.get("token") ?? "";
    const form = await app.inject({ method: "GET", url: path });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="password_confirmation"');
    const formCsrf = csrfFrom(form.body);
    const formCookie = cookieFrom(form.headers["set-cookie"], SESSION_COOKIE) ?? "";

    const mismatch = await postForm("/password-reset/confirm", formCookie, {
      _csrf: formCsrf,
      token,
      password: NEW,
      password_confirmation: `${NEW}x`,
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('id="e-password_confirmation"');
    const weak = await postForm("/password-reset/confirm", formCookie, {
      _csrf: formCsrf,
      token,
      password: "short",
      password_confirmation: "short",
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.body).toContain('id="e-password"');

    const done = await postForm("/password-reset/confirm", formCookie, {
      _csrf: formCsrf,
      token,
      password: NEW,
      password_confirmation: NEW,
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe("/login");
    // The message rides in a fresh session (the old one may have been the user's), shown once.
    const fresh = cookieFrom(done.headers["set-cookie"], SESSION_COOKIE) ?? "";
    expect(fresh).not.toBe(formCookie);
    const shown = await app.inject({ method: "GET", url: "/login", headers: { cookie: fresh } });
    expect(shown.body).toContain("Your password is set");
    const reload = await app.inject({ method: "GET", url: "/login", headers: { cookie: fresh } });
    expect(reload.body).not.toContain("Your password is set");
    expect(await loggedIn(oldSession)).toBe(false);
    expect(await loggedIn(await pageLogIn(u.email, NEW))).toBe(true);

    // The used link now shows why it cannot be used, with 410; a made-up one with 400.
    const used = await app.inject({ method: "GET", url: path });
    expect(used.statusCode).toBe(410);
    expect(used.body).toContain("expired or was already used");
    expect(used.body).not.toContain('name="password"');
    expect(
      (await app.inject({ method: "GET", url: "/password-reset/confirm?token=nope" })).statusCode,
    ).toBe(400);
  });
});
