import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PageSession, startTestApp, type TestApp } from "../helpers/app.js";

/**
 * Page routes declare zod schemas for their path and query: an address that cannot name a record
 * is a 404 page, an unknown filter is ignored, a cursor the list did not hand out is a 400 page;
 * never a 500. Visitors not logged in still go to the log-in page first.
 */
let t: TestApp;
let a: number;
let b: number;
let s: PageSession;
let expense: number;

beforeAll(async () => {
  t = await startTestApp();
  a = await t.user("Asha");
  b = await t.user("Bela");
  s = await t.pageSession(a);
  const e = await t.call(
    "POST",
    "/expenses",
    { paid_by: a, amount: "30", split_type: "EQUAL", participants: [a, b], description: "Tea" },
    { as: a },
  );
  expense = e.body.expenseid;
});
afterAll(async () => t?.close());

const get = (url: string, cookie = s.cookie) =>
  t.app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
const post = (url: string, fields: Record<string, string>) =>
  t.app.inject({
    method: "POST",
    url,
    headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: s.csrf, ...fields }).toString(),
  });

const badIds = ["abc", "99999999999", "2147483648", "1.5", "0", "-1", "1e3", "%00"];

describe("ids in page addresses", () => {
  it.each(badIds)("/app/expenses/%s and its edit and delete pages are 404 pages", async (id) => {
    for (const url of [
      `/app/expenses/${id}`,
      `/app/expenses/${id}/edit`,
      `/app/expenses/${id}/delete`,
    ]) {
      const res = await get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.body).toContain("<h1>Not found</h1>");
    }
  });

  it("form posts to a malformed id are 404 pages and change nothing", async () => {
    for (const url of [
      "/app/expenses/abc/edit",
      "/app/expenses/1.5/delete",
      "/profile/tokens/abc/revoke",
      "/profile/tokens/99999999999/revoke",
    ]) {
      const res = await post(url, { version: "1" });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
      expect(res.body).toContain("<h1>Not found</h1>");
    }
    expect((await t.call("GET", `/expenses/${expense}`, undefined, { as: a })).status).toBe(200);
  });

  it("a visitor not logged in goes to the log-in page, a forged form post is refused first", async () => {
    const res = await get("/app/expenses/abc", "");
    expect([res.statusCode, res.headers.location]).toEqual([
      303,
      `/login?next=${encodeURIComponent("/app/expenses/abc")}`,
    ]);
    const forged = await t.app.inject({
      method: "POST",
      url: "/app/expenses/abc/delete",
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: "version=1",
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain("Form expired");
  });
});

describe("query strings of pages", () => {
  it("filters and prefills a page does not understand are ignored", async () => {
    const all = await get("/app/expenses");
    for (const url of [
      "/app/expenses?person=abc",
      "/app/expenses?person=1.5",
      "/app/expenses?person=99999999999",
      "/app/expenses?person=1&person=2",
      "/app/expenses?utm_source=mail",
    ]) {
      const res = await get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      expect(res.body.match(/class="desc">Tea</g)).toHaveLength(1);
    }
    expect(all.statusCode).toBe(200);
    for (const url of [
      "/app/expenses/new?with=abc",
      "/app/expenses/new?with=%00",
      "/app/settle?with=1.5",
      "/app/settle?with=a&with=b",
      "/app/settle?with=1&currency=usd",
      "/app/settle?with=1&currency=XYZ",
      "/app/settle?currency=USD&currency=EUR",
      "/app?simplify=yes",
      "/app?simplify=1&simplify=1",
      "/login?next=a&next=b",
      "/claim?token=a&token=b",
    ]) {
      const res = await get(url);
      expect({ url, status: res.statusCode }).toEqual({
        url,
        status: url.startsWith("/claim") ? 410 : url.startsWith("/login") ? 303 : 200,
      });
    }
  });

  it("a filter that is understood still applies; a flash key in the address shows nothing", async () => {
    const res = await get(`/app/expenses?person=${b}&flash=deleted`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain("Expense deleted.");
    expect(res.body.match(/class="desc">Tea</g)).toHaveLength(1);
    const simple = await get("/app?simplify=1");
    expect(simple.body).toContain("Plan: the fewest transfers");
  });

  it("a cursor the list did not hand out is a 400 page, never a 500", async () => {
    for (const url of [
      "/app/expenses?cursor=%00",
      "/app/expenses?cursor=abc&cursor=def",
      `/app/expenses?cursor=${"x".repeat(201)}`,
      "/app/settlements?cursor=%00",
      "/app/settlements?cursor=a&cursor=b",
    ]) {
      const res = await get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.body).toContain("<h1>Bad request</h1>");
    }
  });
});
