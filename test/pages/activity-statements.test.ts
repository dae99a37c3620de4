import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { pageClient } from "./page-client.js";

/**
 * The activity pages look up what a page of entries names (expenses, settlements, groups, names,
 * memberships) in one statement for the page, not one per entry: a feed of 9 entries and one of
 * 27 cost the same number of statements, and so does the settlement history over more groups.
 */

let t: TestApp;
let a: number;
let b: number;
let c: number;
beforeAll(async () => {
  t = await startTestApp();
  a = await t.user("Asha");
  b = await t.user("Bela");
  c = await t.user("Chetan");
});
afterAll(async () => t?.close());

const { get } = pageClient(() => t);

async function ok<T extends { status: number; body: Record<string, unknown> }>(
  p: Promise<T>,
  status: number,
): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res;
}

/**
 * Nine entries of every kind: a group, a member added, a group expense, a two-payer expense
 * edited and deleted, a group settlement deleted and another one kept. Returns the round's group.
 */
async function round(k: number): Promise<number> {
  const g = await ok(
    t.call("POST", "/groups", { name: `Trip ${k}`, members: [b] }, { as: a }),
    201,
  );
  const groupId = g.body.groupid as number;
  await ok(t.call("POST", `/groups/${groupId}/members`, { userid: c }, { as: a }), 201);
  const cab = {
    paid_by: b,
    amount: "300",
    split_type: "EQUAL",
    participants: [a, b, c],
    description: `Cab ${k}`,
    group_id: groupId,
  };
  await ok(t.call("POST", "/expenses", cab, { as: b }), 201);
  const dinner = {
    payers: [
      { userid: a, amount: "20.00" },
      { userid: c, amount: "22.00" },
    ],
    amount: "42.00",
    split_type: "EQUAL",
    participants: [a, b, c],
    description: `Dinner ${k}`,
  };
  const made = await ok(t.call("POST", "/expenses", dinner, { as: a }), 201);
  const id = made.body.expenseid as number;
  await ok(
    t.call("PUT", `/expenses/${id}`, { ...dinner, description: `Supper ${k}` }, { as: c }),
    200,
  );
  await ok(t.call("DELETE", `/expenses/${id}`, undefined, { as: b }), 204);
  const paid = { from_user: c, to_user: a, amount: "5", group_id: groupId };
  const s = await ok(t.call("POST", "/settlements", paid, { as: c }), 201);
  await ok(t.call("DELETE", `/settlements/${s.body.settlementid}`, undefined, { as: c }), 204);
  await ok(t.call("POST", "/settlements", { ...paid, amount: "3" }, { as: c }), 201);
  return groupId;
}

/** Statements issued by one page request, counted at the ORM's query logger. */
async function statementsOf(url: string, as: number): Promise<{ count: number; body: string }> {
  await get("/app", as); // the session exists before measuring
  t.db.statements.count = 0;
  t.db.statements.enabled = true;
  try {
    const res = await get(url, as);
    expect(res.statusCode).toBe(200);
    return { count: t.db.statements.count, body: res.body };
  } finally {
    t.db.statements.enabled = false;
  }
}

test("a feed page costs the same statements for 9 or 27 entries of every kind", async () => {
  const counts: Record<string, number[]> = { user: [], group: [], settlements: [] };
  let groupId = 0;
  for (const rounds of [1, 2]) {
    for (let i = 0; i < rounds; i++) groupId = await round(rounds * 10 + i);
    const mine = await statementsOf("/app/activity", a);
    counts.user?.push(mine.count);
    // The page still tells every entry (rounds: 1, then 1 + 2).
    const entries = (mine.body.match(/<li><span class="what">/g) ?? []).length;
    expect(entries).toBe(rounds === 1 ? 9 : 27);
    expect(mine.body).toMatch(/Chetan( \d+)? changed/);
    expect(mine.body).toContain('Restore<span class="visually-hidden"> this expense');
    expect(mine.body).toContain('Restore<span class="visually-hidden"> this payment');
    counts.group?.push((await statementsOf(`/app/groups/${groupId}/activity`, b)).count);
    counts.settlements?.push((await statementsOf("/app/settlements", c)).count);
  }
  console.log("activity page statements for [9, 27] entries:", JSON.stringify(counts));
  for (const [page, [few, many]] of Object.entries(counts)) {
    expect(few, page).toBeGreaterThan(0);
    expect(many, page).toBe(few);
  }
});
