import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/http/auth/page-session.js";
import {
  cookieFrom,
  csrfFrom,
  FIXTURE_PASSWORD,
  startTestApp,
  type TestApp,
} from "../helpers/app.js";

let t: TestApp;
let a: number;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());
beforeEach(async () => {
  await t.db.reset();
  a = await t.user("Asha");
});

/**
 * `next` values that would leave the site, once a browser has read the Location header (it drops
 * tab, CR and LF and turns `\` into `/`, so `/\t/evil.example` becomes `//evil.example`), or that
 * cannot be a header at all. Given raw; the tests put them in the query and the form encoded.
 */
const HOSTILE = [
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  "/\\evil.example",
  "/x\\..\\\\evil.example",
  "//evil.example",
  "///evil.example",
  "https://evil.example",
  "javascript:alert(1)",
  "evil.example",
  "/%2f/evil.example",
  "/%2F%2Fevil.example",
  "/%5cevil.example",
  "/%09/evil.example",
  "/%0a/evil.example",
  "/%0d%0aSet-Cookie:x=1",
  "/\u0000/evil.example",
  "/\u007f/evil.example",
  "/\u2028/evil.example",
  "/ā",
  "/%E0%A4%A",
  "",
];

const get = (url: string, cookie = "") => t.app.inject({ method: "GET", url, headers: { cookie } });
const query = (next: string) => `/login?next=${encodeURIComponent(next)}`;

async function logIn(fields: Record<string, string>) {
  const page = await get("/login");
  const cookie = cookieFrom(page.headers["set-cookie"], SESSION_COOKIE) ?? "";
  return t.app.inject({
    method: "POST",
    url: "/login",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({
      _csrf: csrfFrom(page.body),
      email: t.emailOf(a),
      password: FIXTURE_PASSWORD,
      ...fields,
    }).toString(),
  });
}

describe("`next` after log-in stays on this site", () => {
  it("a logged-in GET /login with a hostile next goes to the dashboard", async () => {
    const s = await t.pageSession(a);
    for (const next of HOSTILE) {
      const res = await get(query(next), s.cookie);
      expect([res.statusCode, res.headers.location], JSON.stringify(next)).toEqual([303, "/app"]);
    }
  });

  it("the log-in form's hidden next falls back to the dashboard", async () => {
    for (const next of HOSTILE) {
      const res = await get(query(next));
      expect(res.statusCode, JSON.stringify(next)).toBe(200);
      expect(/name="next" value="([^"]*)"/.exec(res.body)?.[1], JSON.stringify(next)).toBe("/app");
    }
  });

  it("posting the log-in form with a hostile next goes to the dashboard", async () => {
    for (const next of HOSTILE) {
      const res = await logIn({ next });
      expect([res.statusCode, res.headers.location], JSON.stringify(next)).toEqual([303, "/app"]);
    }
  });

  it("keeps local paths, query strings included", async () => {
    const s = await t.pageSession(a);
    for (const next of ["/app/expenses", "/app/expenses?person=3&cursor=abc%2Fdef", "/profile"]) {
      expect((await get(query(next), s.cookie)).headers.location).toBe(next);
      expect((await logIn({ next })).headers.location).toBe(next);
    }
  });

  it("a page that needs a log-in passes its address on only if the log-in page would accept it", async () => {
    const ok = await get("/app/expenses?person=1");
    expect([ok.statusCode, ok.headers.location]).toEqual([
      303,
      `/login?next=${encodeURIComponent("/app/expenses?person=1")}`,
    ]);
    const odd = await get("/app/expenses?person=1&x=%0a");
    expect([odd.statusCode, odd.headers.location]).toEqual([303, "/login"]);
  });
});
