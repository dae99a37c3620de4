import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestDatabase } from "../helpers/database.js";
import { type MailApp, startMailApp } from "../helpers/mail-app.js";
import type { SmtpSink } from "../helpers/smtp.js";

let m: MailApp;
let db: TestDatabase;
let smtp: SmtpSink;
let app: FastifyInstance;

beforeAll(async () => {
  m = await startMailApp({
    LOGIN_RATE_LIMIT: "4",
    LOGIN_IP_RATE_LIMIT: "6",
    SIGNUP_RATE_LIMIT: "1000",
  });
  ({ db, smtp, app } = m);
});
afterAll(async () => m.close());
beforeEach(async () => {
  await db.reset();
  smtp.mails.length = 0;
});

let n = 0;
async function call(
  method: "GET" | "POST" | "DELETE" | "PATCH",
  url: string,
  body?: object,
  token?: string,
  ip = "10.0.0.1",
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

const PASSWORD = "tamarind-rickshaw-42";
async function signUp(name: string, password = PASSWORD) {
  n++;
  const email = `${name.toLowerCase()}${n}@example.com`;
  const res = await call("POST", "/users", {
    name,
    email,
    mobile_number: "+919800000000",
    password,
  });
  return { ...res, email };
}
let ipCounter = 0;
/** A fresh client IP per log-in, so only the rate-limit tests meet the per-IP limit. */
const freshIp = () => `10.9.${(++ipCounter >> 8) & 255}.${ipCounter & 255}`;
async function logIn(email: string, password = PASSWORD, ip = freshIp()) {
  return call("POST", "/auth/token", { email, password }, undefined, ip);
}

describe("sign-up and passwords", () => {
  it("signs up with a password, never returns or stores it in clear, and logs in", async () => {
    const res = await signUp("Asha");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Asha", email: res.email, claimed: true });
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
    const stored = (await db.db.execute(
      sql`select password_hash from users where id = ${res.body.userid}`,
    )) as unknown as { rows: { password_hash: string }[] };
    expect(stored.rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const login = await logIn(res.email);
    expect(login.status).toBe(201);
    expect(login.body.token).toMatch(/^evl_[A-Za-z0-9_-]{43}$/);
    const me = await call("GET", "/auth/me", undefined, login.body.token);
    expect(me.status).toBe(200);
    expect(me.body.userid).toBe(res.body.userid);
  });

  it.each([
    ["short", "too-short", "at least 10"],
    ["common", "Password123", "too common"],
    ["repeated", "aaaaaaaaaaaa", "too common"],
    ["personal", "ashavarma-2024", "name or email"],
  ])("refuses a %s password with 422 and creates nothing", async (_k, password, message) => {
    const res = await call("POST", "/users", {
      name: "Asha Varma",
      email: "ashavarma@example.com",
      mobile_number: 919800000000,
      password,
    });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.body.errors[0]).toMatchObject({ field: "password" });
    expect(res.body.errors[0].message).toContain(message);
    const count = (await db.db.execute(sql`select count(*)::int as c from users`)) as unknown as {
      rows: { c: number }[];
    };
    expect(count.rows[0]?.c).toBe(0);
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const { email } = await signUp("Ravi");
    const wrong = await logIn(email, "not-the-password-1");
    const unknown = await logIn("nobody@example.com", "not-the-password-1");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (b: { request_id?: string; instance?: string }) => ({
      ...b,
      request_id: "",
      instance: "",
    });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
  });
});

describe("API tokens", () => {
  it("issues, lists, uses, revokes and expires tokens", async () => {
    const { email } = await signUp("Meera");
    const t1 = (await logIn(email)).body;
    const t2 = (await logIn(email)).body;
    const list = await call("GET", "/auth/tokens", undefined, t1.token);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { token_id: number }) => i.token_id).sort()).toEqual(
      [t1.token_id, t2.token_id].sort(),
    );
    expect(JSON.stringify(list.body)).not.toContain(t1.token);
    expect(list.body.items.find((i: { current: boolean }) => i.current).token_id).toBe(t1.token_id);

    // Only the hash is stored.
    const rows = (await db.db.execute(sql`select token_hash from api_tokens`)) as unknown as {
      rows: { token_hash: string }[];
    };
    expect(rows.rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
    expect(JSON.stringify(rows.rows)).not.toContain(t1.token);

    // Revoke the token in use: it stops working, the other does not.
    expect((await call("DELETE", "/auth/token", undefined, t1.token)).status).toBe(204);
    const after = await call("GET", "/auth/me", undefined, t1.token);
    expect(after.status).toBe(401);
    expect(after.headers["www-authenticate"]).toContain("Bearer");
    expect((await call("GET", "/auth/me", undefined, t2.token)).status).toBe(200);

    // Revoke by id from another token; then an expired one fails too.
    const t3 = (await logIn(email)).body;
    expect((await call("DELETE", `/auth/tokens/${t2.token_id}`, undefined, t3.token)).status).toBe(
      204,
    );
    expect((await call("GET", "/auth/me", undefined, t2.token)).status).toBe(401);
    await db.db.execute(
      sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${t3.token_id}`,
    );
    expect((await call("GET", "/auth/me", undefined, t3.token)).status).toBe(401);
  });

  it("refuses malformed and unknown bearer tokens with 401", async () => {
    for (const header of ["Bearer", "Basic abc", "Bearer evl_nope", "Bearer a b"]) {
      const res = await app.inject({
        method: "GET",
        url: "/auth/me",
        headers: { authorization: header },
      });
      expect(res.statusCode, header).toBe(401);
      expect(res.headers["content-type"]).toContain("application/problem+json");
    }
  });

  it("a token of a deactivated user stops working", async () => {
    const s = await signUp("Kiran");
    const { token } = (await logIn(s.email)).body;
    expect((await call("DELETE", `/users/${s.body.userid}`, undefined, token)).status).toBe(204);
    expect((await call("GET", "/auth/me", undefined, token)).status).toBe(401);
    expect((await logIn(s.email)).status).toBe(401);
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After after N failed log-ins for one account, from any IP", async () => {
    const { email } = await signUp("Dev");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await logIn(email, "wrong-password-xx", `10.1.0.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const limited = await logIn(email, PASSWORD, "10.1.0.99");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.body.type).toContain("too-many-requests");
    console.log(`[rate-limit] per account: ${statuses.join(",")} then the right password → 429`);
  });

  it("answers 429 after LOGIN_IP_RATE_LIMIT attempts from one IP, whatever the accounts", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await logIn(`x${i}@example.com`, "whatever-pass", "10.2.0.1")).status);
    // Every attempt counts per IP, with its own (higher) limit than failures per account.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    // Another IP is not affected.
    expect((await logIn("x0@example.com", "whatever-pass", "10.2.0.2")).status).toBe(401);
  });

  it("locks one account after LOGIN_RATE_LIMIT failures while its IP may still try others", async () => {
    const a = await signUp("Esha");
    const b = await signUp("Farid");
    const ip = "10.3.0.1";
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await logIn(a.email, "wrong-password-xx", ip)).status);
    statuses.push((await logIn(b.email, PASSWORD, ip)).status); // attempt 6: allowed
    statuses.push((await logIn(b.email, PASSWORD, ip)).status); // attempt 7: over the IP limit
    expect(statuses).toEqual([401, 401, 401, 401, 429, 201, 429]);
  });
});

describe("invited users", () => {
  it("invites a friend, mails a one-time link, and the friend claims the account", async () => {
    const inviter = await signUp("Priya");
    const { token } = (await logIn(inviter.email)).body;
    // Anonymous invites are refused.
    const anon = await call("POST", "/users", {
      name: "Arjun",
      email: "arjun@example.com",
      mobile_number: 9811111111,
    });
    expect(anon.status).toBe(401);

    const invited = await call(
      "POST",
      "/users",
      { name: "Arjun", email: "arjun@example.com", mobile_number: 9811111111 },
      token,
    );
    expect(invited.status).toBe(201);
    expect(invited.body.claimed).toBe(false);
    // The inviter can see and use the new user at once.
    expect((await call("GET", `/users/${invited.body.userid}`, undefined, token)).status).toBe(200);
    const expense = await call(
      "POST",
      "/expenses",
      {
        paid_by: inviter.body.userid,
        amount: "300.00",
        split_type: "EQUAL",
        participants: [inviter.body.userid, invited.body.userid],
        description: "Cab",
      },
      token,
    );
    expect(expense.status).toBe(201);
    // An invited user cannot log in yet.
    expect((await logIn("arjun@example.com", PASSWORD)).status).toBe(401);

    await smtp.waitFor(2); // the invitation and the expense mail
    const invitation = smtp.mails.find((m) => m.subject?.includes("added you to Evenly"));
    expect(invitation?.to && "text" in invitation.to ? invitation.to.text : "").toContain(
      "arjun@example.com",
    );
    expect(invitation?.headers.get("list-unsubscribe")).toBeUndefined();
    const link = /http:\/\/evenly\.test\/claim\?token=(claim_[A-Za-z0-9_-]+)/.exec(
      invitation?.text ?? "",
    );
    expect(link).not.toBeNull();
    const claimToken = link?.[1] ?? "";
    // Stored hashed only.
    const links = (await db.db.execute(sql`select token_hash from account_links`)) as unknown as {
      rows: { token_hash: string }[];
    };
    expect(JSON.stringify(links.rows)).not.toContain(claimToken);

    const weak = await call("POST", "/auth/claim", { token: claimToken, password: "short" });
    expect(weak.status).toBe(422);
    const claimed = await call("POST", "/auth/claim", { token: claimToken, password: PASSWORD });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ userid: invited.body.userid, claimed: true });
    // Single use.
    expect(
      (await call("POST", "/auth/claim", { token: claimToken, password: PASSWORD })).status,
    ).toBe(422);
    // The friend logs in and sees the expense and the balance.
    const friend = (await logIn("arjun@example.com")).body.token;
    const bal = await call("GET", `/users/${invited.body.userid}/balances`, undefined, friend);
    expect(bal.body.balances).toEqual([
      { to_user: inviter.body.userid, name: inviter.body.name, amount: 150, currency: "INR" },
    ]);
  });

  it("refuses an expired claim link and sends a fresh one on request", async () => {
    const inviter = await signUp("Sana");
    const { token } = (await logIn(inviter.email)).body;
    await call(
      "POST",
      "/users",
      { name: "Omar", email: "omar@example.com", mobile_number: 9822222222 },
      token,
    );
    await smtp.waitFor(1);
    const first = /token=(claim_[A-Za-z0-9_-]+)/.exec(smtp.mails[0]?.text ?? "")?.[1] ?? "";
    await db.db.execute(sql`update account_links set expires_at = now() - interval '1 second'`);
    expect((await call("POST", "/auth/claim", { token: first, password: PASSWORD })).status).toBe(
      422,
    );

    // Same answer for unknown emails (no account enumeration).
    expect((await call("POST", "/auth/claim-link", { email: "nobody@example.com" })).status).toBe(
      202,
    );
    expect((await call("POST", "/auth/claim-link", { email: "OMAR@example.com" })).status).toBe(
      202,
    );
    await smtp.waitFor(2);
    const second = /token=(claim_[A-Za-z0-9_-]+)/.exec(smtp.mails[1]?.text ?? "")?.[1] ?? "";
    expect(second).not.toBe(first);
    expect((await call("POST", "/auth/claim", { token: second, password: PASSWORD })).status).toBe(
      200,
    );
    expect(smtp.mails).toHaveLength(2);
  });

  it("will not sign up over an invited user's email", async () => {
    const inviter = await signUp("Lata");
    const { token } = (await logIn(inviter.email)).body;
    await call(
      "POST",
      "/users",
      { name: "Nina", email: "nina@example.com", mobile_number: 9833333333 },
      token,
    );
    const res = await call("POST", "/users", {
      name: "Nina",
      email: "Nina@Example.com",
      mobile_number: 9833333333,
      password: PASSWORD,
    });
    expect(res.status).toBe(409);
  });
});

describe("password change", () => {
  it("needs the current password and then only the new one works", async () => {
    const { email } = await signUp("Tara");
    const { token } = (await logIn(email)).body;
    const wrong = await call(
      "POST",
      "/auth/password",
      { current_password: "nope-nope-nope", new_password: "brand-new-passphrase-7" },
      token,
    );
    expect(wrong.status).toBe(422);
    const ok = await call(
      "POST",
      "/auth/password",
      { current_password: PASSWORD, new_password: "brand-new-passphrase-7" },
      token,
    );
    expect(ok.status).toBe(204);
    expect((await logIn(email)).status).toBe(401);
    expect((await logIn(email, "brand-new-passphrase-7")).status).toBe(201);
  });
});
