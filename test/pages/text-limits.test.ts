import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { pageClient } from "./page-client.js";

/**
 * Text limits are counted in characters (code points) by the server, while a browser's
 * `maxlength` counts UTF-16 units: an emoji is 2, so 50 emoji in Category (the server takes 50)
 * were blocked at 25. The pages set no `maxlength` on such text; the server's message on the
 * re-rendered form (values kept) says the limit. Only email boxes keep theirs: an address is
 * ASCII, where the two counts agree.
 */
let t: TestApp;
let a: number;
let b: number;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await t.db.reset();
  forget();
  a = await t.user("Asha");
  b = await t.user("Bela");
});

const { get, post, forget } = pageClient(() => t);
const expenseForm = (over: Record<string, string | string[]> = {}) => ({
  _csrf: "",
  description: "Dinner",
  amount: "300",
  date: "2026-11-20",
  paid_by: String(a),
  split_type: "EQUAL",
  row: [String(a), String(b)],
  participant: [String(a), String(b)],
  ...over,
});

/** Every tag with a maxlength that is not an email box. */
const nonEmailLimits = (html: string) =>
  [...html.matchAll(/<(?:input|textarea)\b[^>]*\bmaxlength=[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => !/\btype="email"/.test(tag));

describe("no UTF-16 maxlength on text the server counts in characters", () => {
  test("no template sets one, except on email boxes", () => {
    const dir = new URL("../../src/http/views/", import.meta.url);
    for (const name of readdirSync(dir).filter((f) => f.endsWith(".eta")))
      expect(nonEmailLimits(readFileSync(new URL(name, dir), "utf8")), name).toEqual([]);
  });

  test("the rendered forms have none", async () => {
    const g = (await t.call("POST", "/groups", { name: "Trip", members: [b] }, { as: a })).body
      .groupid;
    for (const url of [
      "/app/expenses/new",
      "/app/expenses",
      "/app/settle",
      "/profile",
      "/app/friends",
      "/app/groups/new",
      "/app/groups/import",
      `/app/groups/${g}/settings`,
    ]) {
      const res = await get(url, a);
      expect(res.statusCode, url).toBe(200);
      expect(nonEmailLimits(res.body), url).toEqual([]);
    }
    expect(nonEmailLimits((await get("/signup")).body)).toEqual([]);
  });

  test("50 emoji in Category are saved; 51 come back with the server's message, kept", async () => {
    const fifty = "😀".repeat(50);
    const saved = await post("/app/expenses/new", expenseForm({ category: fifty }), a);
    expect(saved.statusCode).toBe(303);
    const [item] = (await t.call("GET", `/users/${a}/expenses`, undefined, { as: a })).body.items;
    expect(item.category).toBe(fifty);
    const over = await post("/app/expenses/new", expenseForm({ category: `${fifty}😀` }), a);
    expect(over.statusCode).toBe(422);
    expect(over.body).toMatch(/id="e-category">[^<]*at most 50 characters/);
    expect(over.body).toContain(`value="${fifty}😀"`);
  });
});
