import { beforeEach, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";

let t: TestApp;
let a: number;
let b: number;
let g: number; // Asha's and Bela's group, with two of everything too
// Chetan: a second friend of Asha's, for /friends.
const suite = appSuite({ users: ["Asha", "Bela", "Chetan"] });
beforeEach(async () => {
  t = suite.t;
  [a, b] = suite.users;
  // Two of everything, so each list has a second page with limit=1.
  for (const description of ["Dinner", "Cab"]) {
    const res = await t.call(
      "POST",
      "/expenses",
      { paid_by: a, amount: "10", split_type: "EQUAL", participants: [a, b], description },
      { as: a },
    );
    expect(res.status).toBe(201);
  }
  for (let i = 0; i < 2; i++) {
    const res = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "1" },
      { as: a },
    );
    expect(res.status).toBe(201);
  }
  g = (await t.call("POST", "/groups", { name: "Trip", members: [b] }, { as: a })).body.groupid;
  await t.call("POST", "/groups", { name: "Flat" }, { as: a });
  for (const description of ["Villa", "Boat"]) {
    const body = { paid_by: a, amount: "10", split_type: "EQUAL", participants: [a, b] };
    const res = await t.call("POST", "/expenses", { ...body, description, group_id: g }, { as: a });
    expect(res.status).toBe(201);
  }
  for (let i = 0; i < 2; i++) {
    const body = { from_user: b, to_user: a, amount: "1", group_id: g };
    expect((await t.call("POST", "/settlements", body, { as: a })).status).toBe(201);
  }
});

const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Cursors no list ever hands out: not base64 JSON, or well-formed base64 JSON of a wrong shape. */
const badCursors = [
  "garbage",
  "",
  "null",
  base64("abc"),
  base64({ x: 1 }),
  base64([1]),
  base64(-1),
  base64(1.5),
  base64(null),
  base64({ date: "2026-13-45", id: 1 }),
];

/** Every API route with a `cursor` query parameter, from the OpenAPI document (so none is missed). */
async function pagedRoutes(): Promise<string[]> {
  const doc = (await t.call("GET", "/openapi.json")).body;
  const routes: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths) as [string, object][]) {
    for (const [method, op] of Object.entries(operations)) {
      const params = (op as { parameters?: { name: string; in: string }[] }).parameters ?? [];
      if (params.some((p) => p.in === "query" && p.name === "cursor")) {
        expect(method).toBe("get");
        routes.push(path);
      }
    }
  }
  return routes.sort();
}

describe("a malformed cursor", () => {
  it("is refused with a 400 naming the parameter on every paged API route", async () => {
    const routes = await pagedRoutes();
    expect(routes).toEqual([
      "/friends",
      "/groups",
      "/groups/{groupid}/activity",
      "/groups/{groupid}/expenses",
      "/groups/{groupid}/settlements",
      "/users",
      "/users/{userid}/activity",
      "/users/{userid}/expenses",
      "/users/{userid}/settlements",
    ]);
    for (const route of routes) {
      const url = route.replace("{userid}", String(a)).replace("{groupid}", String(g));
      // The cursor the list hands out still leads to the second page.
      const first = await t.call("GET", `${url}?limit=1`, undefined, { as: a });
      expect(first.status, url).toBe(200);
      expect(first.body.next_cursor, url).toEqual(expect.any(String));
      const second = await t.call(
        "GET",
        `${url}?limit=1&cursor=${first.body.next_cursor}`,
        undefined,
        { as: a },
      );
      expect(second.status, url).toBe(200);
      expect(second.body.items, url).toHaveLength(1);
      expect(second.body.items).not.toEqual(first.body.items);

      for (const cursor of badCursors) {
        const res = await t.call("GET", `${url}?limit=1&cursor=${cursor}`, undefined, { as: a });
        const what = `${url} cursor=${JSON.stringify(cursor)}`;
        expect(res.status, what).toBe(400);
        expect(res.headers["content-type"], what).toMatch(/^application\/problem\+json/);
        expect(res.body.type, what).toMatch(/validation-error$/);
        expect(res.body.errors, what).toEqual([
          { field: "cursor", message: expect.stringContaining("next_cursor") },
        ]);
      }
    }
  });

  it("is refused with a 400 page on the paged pages", async () => {
    const { cookie } = await t.pageSession(a);
    for (const page of ["/app/expenses", "/app/settlements"]) {
      for (const cursor of ["garbage", base64({ x: 1 }), base64("abc")]) {
        const res = await t.app.inject({
          method: "GET",
          url: `${page}?cursor=${cursor}`,
          headers: { cookie },
        });
        expect(res.statusCode, `${page} ${cursor}`).toBe(400);
        expect(res.headers["content-type"]).toMatch(/^text\/html/);
        expect(res.body).toContain("Bad request");
      }
    }
  });
});
