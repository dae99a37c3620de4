import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueFixtureToken, startTestApp, type TestApp } from "../helpers/app.js";

/**
 * Many HTTP clients send `Content-Type: application/json` on every request, DELETE included, with
 * no body. A route that takes no body must accept that; a route that needs one answers a clear
 * 400 problem.
 */

let t: TestApp;
let a: number;
let b: number;
beforeAll(async () => {
  t = await startTestApp();
  a = await t.user("Asha");
  b = await t.user("Bela");
});
afterAll(async () => t?.close());

/** A request as such clients send it: the JSON content type, and no body or a zero-length one. */
const bodiless = (method: "GET" | "DELETE" | "POST" | "PATCH", url: string, empty: boolean) =>
  t.app.inject({
    method,
    url,
    headers: {
      ...t.authHeaders(a),
      "content-type": "application/json",
      ...(empty ? { "content-length": "0" } : {}),
    },
    ...(empty ? { payload: "" } : {}),
  });

describe.each([
  ["no body", false],
  ["a zero-length body", true],
])("Content-Type: application/json with %s", (_what, empty) => {
  it("DELETE an expense → 204, and it is gone", async () => {
    const created = await t.call(
      "POST",
      "/expenses",
      { paid_by: a, amount: "10", split_type: "EQUAL", participants: [a, b], description: "Tea" },
      { as: a },
    );
    const res = await bodiless("DELETE", `/expenses/${created.body.expenseid}`, empty);
    expect(res.statusCode).toBe(204);
    expect(
      (await t.call("GET", `/expenses/${created.body.expenseid}`, undefined, { as: a })).status,
    ).toBe(404);
  });

  it("DELETE a token, and log out with DELETE /auth/token → 204", async () => {
    const other = await issueFixtureToken(t.db.db, a);
    const listed = await t.call("GET", "/auth/tokens", undefined, { headers: other });
    const extra = listed.body.items.find((x: { current: boolean }) => x.current).token_id;
    expect((await bodiless("DELETE", `/auth/tokens/${extra}`, empty)).statusCode).toBe(204);
    expect((await t.call("GET", "/auth/me", undefined, { headers: other })).status).toBe(401);
    const logout = await t.app.inject({
      method: "DELETE",
      url: "/auth/token",
      headers: { ...(await issueFixtureToken(t.db.db, a)), "content-type": "application/json" },
      ...(empty ? { payload: "" } : {}),
    });
    expect(logout.statusCode).toBe(204);
  });

  it("GET → 200", async () => {
    expect((await bodiless("GET", `/users/${a}/balances`, empty)).statusCode).toBe(200);
  });

  it("POST /expenses and PATCH preferences, which need a body → 400 problem naming the body", async () => {
    for (const [method, url] of [
      ["POST", "/expenses"],
      ["PATCH", `/users/${a}/preferences`],
    ] as const) {
      const res = await bodiless(method, url, empty);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(res.body);
      expect(problem.type).toMatch(/validation-error$/);
      expect(problem.detail).toBe("This request needs a JSON body");
      expect(problem.errors).toEqual([{ field: "body", message: "is required" }]);
    }
  });
});
