import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { evenly, HEAD } from "../helpers/hostile-files.js";
import { tableChecksum } from "../helpers/table-checksum.js";

/**
 * Import files made to be slow to read or to answer (a parser's slow path, a quadratic check, a
 * problem per byte): refused in seconds with at most 100 problems listed, nothing written.
 */

let t: TestApp;
let a: number;
let b: number;
beforeAll(async () => {
  t = await startTestApp();
  a = await t.user("Asha");
  b = await t.user("Ravi");
});
afterAll(async () => t?.close());

const snapshot = async () => {
  const r = (await t.db.db.execute(
    sql`select (select count(*) from groups) g, (select count(*) from group_members) m, (select count(*) from imports) i`,
  )) as unknown as { rows: unknown[] };
  return `${await tableChecksum(t.db)}|${JSON.stringify(r.rows)}`;
};

describe("files made to be slow to read or to answer", () => {
  const importTimed = async (format: string, data: string, members: object = {}) => {
    const started = performance.now();
    const res = await t.app.inject({
      method: "POST",
      url: "/groups/import",
      headers: { ...t.authHeaders(a), "content-type": "application/json" },
      payload: JSON.stringify({ format, data, members, dry_run: true }),
    });
    const body = JSON.parse(res.body);
    return {
      status: res.statusCode,
      body,
      bytes: res.body.length,
      ms: performance.now() - started,
    };
  };

  it.each([
    ["a million short lines (2 MB)", `${HEAD}\n${"x\n".repeat(1_000_000)}`],
    ["a million blank-looking lines", `${HEAD}\n${" \n".repeat(1_000_000)}`],
    ["a header of a million empty member columns", `${HEAD}${",".repeat(1_000_000)}\n`],
    [
      "a header of 100,000 names",
      `${HEAD}${Array.from({ length: 100_000 }, (_, i) => `,n${i}`).join("")}\n`,
    ],
  ])("%s: a 422 in seconds listing at most 100 problems", async (_, data) => {
    const before = await snapshot();
    const res = await importTimed("splitwise-csv", data);
    expect(res.status).toBe(422);
    expect(res.body.errors.length).toBeLessThanOrEqual(101);
    expect(res.bytes).toBeLessThan(50_000);
    expect(res.ms).toBeLessThan(5_000);
    expect(await snapshot()).toBe(before);
  });

  it("an Evenly file of 20,000 bad expenses: 100 listed, and how many more", async () => {
    const file = JSON.parse(evenly({}));
    file.expenses = Array.from({ length: 20_000 }, () => ({ ...file.expenses[0], amount: "x" }));
    const res = await importTimed("evenly-json", JSON.stringify(file), { Asha: a, Ravi: b });
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveLength(101);
    expect(res.body.errors[100]).toEqual({
      field: "file",
      message: "has 19900 more problem(s) like these, not listed",
    });
  });
});
