import { sql } from "drizzle-orm";
import type { Session } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/http/auth/page-session.js";
import { DatabaseSessionStore } from "../../src/http/auth/session-store.js";
import {
  cookieFrom,
  csrfFrom,
  FIXTURE_PASSWORD,
  startTestApp,
  type TestApp,
} from "../helpers/app.js";

let t: TestApp;
let a: number;
let f: number;
beforeAll(async () => {
  t = await startTestApp({ env: { TRUST_PROXY: "1" } });
});
afterAll(async () => t.close());
beforeEach(async () => {
  await t.db.reset();
  a = await t.user("Asha");
  f = await t.user("Farid");
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const get = (url: string, cookie = "", headers: Record<string, string> = {}) =>
  t.app.inject({ method: "GET", url, headers: { cookie, ...headers } });
const post = (url: string, cookie: string, fields: Record<string, string>) =>
  t.app.inject({
    method: "POST",
    url,
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: form(fields),
  });
const loggedIn = async (cookie: string) => (await get("/app", cookie)).statusCode === 200;

async function countRows() {
  const r = (await t.db.db.execute(
    sql`select (select count(*) from settlements)::int as s, (select count(*) from expenses)::int as e`,
  )) as unknown as { rows: { s: number; e: number }[] };
  return r.rows[0];
}

describe("page sessions", () => {
  it("gives a new session id at log-in (no fixation) and the old id is worthless", async () => {
    const page = await get("/login");
    const before = cookieFrom(page.headers["set-cookie"], SESSION_COOKIE) ?? "";
    expect(before).not.toBe("");
    const res = await post("/login", before, {
      _csrf: csrfFrom(page.body),
      email: t.emailOf(a),
      password: FIXTURE_PASSWORD,
      next: "/app/expenses",
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/app/expenses");
    const after = cookieFrom(res.headers["set-cookie"], SESSION_COOKIE) ?? "";
    expect(after).not.toBe("");
    expect(after).not.toBe(before);
    expect(await loggedIn(after)).toBe(true);
    expect(await loggedIn(before)).toBe(false);
    // HttpOnly, SameSite=Lax; Secure only over HTTPS.
    const raw = [res.headers["set-cookie"]].flat().find((c) => c?.startsWith(SESSION_COOKIE));
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Lax/i);
    expect(raw).not.toMatch(/Secure/i);
  });

  it("marks the cookie Secure and sends HSTS behind an HTTPS proxy", async () => {
    const page = await get("/login", "", { "x-forwarded-proto": "https" });
    const raw = [page.headers["set-cookie"]].flat().find((c) => c?.startsWith(SESSION_COOKIE));
    expect(raw).toMatch(/; Secure/i);
    expect(page.headers["strict-transport-security"]).toContain("max-age=");
    expect((await get("/login")).headers["strict-transport-security"]).toBeUndefined();
  });

  it("refuses a wrong password on the page without saying which part was wrong", async () => {
    const page = await get("/login");
    const cookie = cookieFrom(page.headers["set-cookie"], SESSION_COOKIE) ?? "";
    const res = await post("/login", cookie, {
      _csrf: csrfFrom(page.body),
      email: t.emailOf(a),
      password: "wrong-password-123",
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain("The email or password is wrong");
    expect(res.body).toContain(`value="${t.emailOf(a)}"`);
  });

  it("never redirects off-site after log-in", async () => {
    for (const next of ["//evil.example/x", "/\\evil.example", "https://evil.example"]) {
      const page = await get("/login");
      const cookie = cookieFrom(page.headers["set-cookie"], SESSION_COOKIE) ?? "";
      const res = await post("/login", cookie, {
        _csrf: csrfFrom(page.body),
        email: t.emailOf(a),
        password: FIXTURE_PASSWORD,
        next,
      });
      expect(res.headers.location, next).toBe("/app");
    }
  });

  it("log-out ends the session on the server", async () => {
    const s = await t.pageSession(a);
    expect(await loggedIn(s.cookie)).toBe(true);
    const out = await post("/logout", s.cookie, { _csrf: s.csrf });
    expect(out.statusCode).toBe(303);
    expect(await loggedIn(s.cookie)).toBe(false);
  });

  it("a password change ends the user's other sessions, not the current one", async () => {
    const s1 = await t.pageSession(a);
    const s2 = await t.pageSession(a);
    const res = await post("/profile/password", s1.cookie, {
      _csrf: s1.csrf,
      current_password: FIXTURE_PASSWORD,
      new_password: "a-brand-new-passphrase",
    });
    expect(res.statusCode).toBe(303);
    const rotated = cookieFrom(res.headers["set-cookie"], SESSION_COOKIE) ?? "";
    expect(await loggedIn(rotated)).toBe(true);
    expect(await loggedIn(s2.cookie)).toBe(false);
  });
});

describe("CSRF", () => {
  it("refuses a form post with a missing or wrong token and changes nothing", async () => {
    const s = await t.pageSession(a);
    const other = await t.pageSession(f);
    await t.call(
      "POST",
      "/expenses",
      { paid_by: a, amount: "10.00", split_type: "EQUAL", participants: [a, f], description: "x" },
      { as: a },
    );
    const before = await countRows();
    // f pays back what they owe (paying f instead would first ask "more than is owed?").
    const fields = { direction: "received", other: String(f), amount: "5.00" };
    for (const token of [undefined, "", "forged", other.csrf]) {
      const res = await post(
        "/app/settle",
        s.cookie,
        token === undefined ? fields : { ...fields, _csrf: token },
      );
      expect(res.statusCode, String(token)).toBe(403);
      expect(res.headers["content-type"]).toContain("text/html");
    }
    expect(await countRows()).toEqual(before);
    const ok = await post("/app/settle", s.cookie, { ...fields, _csrf: s.csrf });
    expect(ok.statusCode).toBe(303);
    expect((await countRows())?.s).toBe((before?.s ?? 0) + 1);
  });
});

describe("pages and access", () => {
  it("someone else's expense page is a 404, not a 403", async () => {
    const b = await t.user("Bela");
    const e = await t.call(
      "POST",
      "/expenses",
      { paid_by: a, amount: "10.00", split_type: "EQUAL", participants: [a, b], description: "x" },
      { as: a },
    );
    const s = await t.pageSession(f);
    for (const url of [
      `/app/expenses/${e.body.expenseid}`,
      `/app/expenses/${e.body.expenseid}/edit`,
    ]) {
      const res = await get(url, s.cookie);
      expect(res.statusCode, url).toBe(404);
    }
  });

  it("the profile lists API tokens and shows a new one exactly once, after a redirect", async () => {
    const s = await t.pageSession(a);
    const made = await post("/profile/tokens", s.cookie, { _csrf: s.csrf, label: "laptop" });
    // Redirect after POST: a reload of the result creates no second token; the secret is not in
    // the redirect, only on the next page of this session.
    expect(made.statusCode).toBe(303);
    expect(made.headers.location).toBe("/profile#h-tokens");
    expect(made.body).not.toMatch(/evl_/);
    const shown = await get("/profile", s.cookie);
    expect(shown.headers["cache-control"]).toBe("private, no-store");
    const token = /id="new-token">(evl_[A-Za-z0-9_-]+)</.exec(shown.body)?.[1] ?? "";
    expect(token).not.toBe("");
    const me = await t.app.inject({
      method: "GET",
      url: "/auth/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json().userid).toBe(a);
    const again = await get("/profile", s.cookie);
    expect(again.body).toContain("laptop");
    expect(again.body).not.toContain(token);
  });

  it("sends security headers: CSP without inline scripts, no framing, nosniff", async () => {
    const res = await get("/login");
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    // Every response carries them: an unknown address, a refused API request, an API answer.
    const others = [
      await get("/no-such-page"),
      await t.app.inject({ method: "POST", url: "/users", payload: { name: "" } }),
      await t.app.inject({ method: "GET", url: "/healthz" }),
    ];
    for (const r of others) {
      expect(String(r.headers["content-security-policy"])).toContain("frame-ancestors 'none'");
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
    }
    expect(others.map((r) => r.statusCode)).toEqual([404, 400, 200]);
  });
});

describe("session store", () => {
  it("purges expired sessions while writing new ones", async () => {
    await t.db.db.execute(
      sql`insert into sessions (sid, data, expires_at) values ('old', '{}', now() - interval '1 minute'), ('live', '{}', now() + interval '1 hour')`,
    );
    const store = new DatabaseSessionStore(t.db.db, 60_000);
    await new Promise<void>((resolve, reject) =>
      store.set("new", { cookie: {} } as unknown as Session, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    const sids = async () =>
      (
        (await t.db.db.execute(sql`select sid from sessions order by sid`)) as unknown as {
          rows: { sid: string }[];
        }
      ).rows.map((r) => r.sid);
    await expect.poll(sids).toEqual(["live", "new"]);
  });
});
