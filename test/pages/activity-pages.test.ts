import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { pageSuite } from "./page-suite.js";

/**
 * The activity pages (issue 15): the feed tells each entry as a sentence with the names the
 * viewer knows, a deleted expense can be restored from it (balances come back exactly), and the
 * settlement history deletes (after a confirmation) and the feed restores a payment.
 */

let t: TestApp;
let a: number;
let b: number;
let c: number;

const suite = pageSuite({ users: ["Asha", "Bela", "Chetan"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c] = suite.users;
});

const { get, post } = suite;

async function apiExpense(as: number, over: Record<string, unknown> = {}): Promise<number> {
  const res = await t.call(
    "POST",
    "/expenses",
    {
      paid_by: as,
      amount: "1200",
      split_type: "EQUAL",
      participants: [a, b, c],
      description: "Dinner",
      ...over,
    },
    { as },
  );
  expect(res.status).toBe(201);
  return res.body.expenseid as number;
}
const balancesOf = async (u: number) =>
  (await t.call("GET", `/users/${u}/balances`, undefined, { as: u })).body;
/** The page's text without tags (sentences are split by links); fixture names lose their number. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .replace(/(Asha|Bela|Chetan|Zed) \d+/g, "$1");

describe("the activity feed", () => {
  test("tells each entry as a sentence with names, newest first, and pages with Older", async () => {
    const id = await apiExpense(a);
    const put = await t.call(
      "PUT",
      `/expenses/${id}`,
      {
        paid_by: a,
        amount: "900",
        split_type: "EQUAL",
        participants: [a, b, c],
        description: "Dinner",
      },
      { as: b },
    );
    expect(put.status).toBe(200);
    const s = await t.call(
      "POST",
      "/settlements",
      { from_user: c, to_user: a, amount: "500" },
      { as: c },
    );
    expect(s.status).toBe(201);
    const page = await get("/app/activity", a);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain("Asha added “Dinner” (₹900.00)".replace("Asha", "You"));
    expect(text).toContain("Bela changed “Dinner”: amount ₹1,200.00 → ₹900.00");
    expect(text).toContain("Chetan recorded a payment of ₹500.00 to you");
    // Newest first: the payment before the edit before the creation.
    const order = ["recorded a payment", "changed “Dinner”", "added “Dinner”"].map((x) =>
      text.indexOf(x),
    );
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(page.body).toContain(`href="/app/expenses/${id}"`);
    // Bela's own feed names Asha.
    expect(textOf((await get("/app/activity", b)).body)).toContain("Asha added “Dinner”");
  });

  test("more than a page: an Older link that continues where the page ended", async () => {
    for (let i = 0; i < 31; i++) await apiExpense(a, { description: `E${i}` });
    const first = await get("/app/activity", a);
    const older = /href="(\/app\/activity\?cursor=[^"]+)"/.exec(first.body)?.[1];
    expect(older).toBeDefined();
    const second = await get((older ?? "").replace(/&amp;/g, "&"), a);
    expect(second.statusCode).toBe(200);
    expect(textOf(second.body)).toContain("“E0”");
    expect(textOf(first.body)).not.toContain("“E0”");
  });

  test("group changes: created, members added and removed", async () => {
    const g = await t.call("POST", "/groups", { name: "Trip", members: [b] }, { as: a });
    const groupId = g.body.groupid as number;
    const add = await t.call("POST", `/groups/${groupId}/members`, { userid: c }, { as: a });
    expect([200, 201]).toContain(add.status);
    const out = await t.call("DELETE", `/groups/${groupId}/members/${c}`, undefined, { as: b });
    expect(out.status).toBe(204);
    const text = textOf((await get("/app/activity", b)).body);
    expect(text).toContain("Asha created the group Trip");
    expect(text).toContain("Asha added Chetan to Trip");
    expect(text).toContain("You removed Chetan from Trip");
  });

  test("a group's feed for members; the group page links it; others get 404", async () => {
    const g = await t.call("POST", "/groups", { name: "Trip", members: [b] }, { as: a });
    const groupId = g.body.groupid as number;
    await apiExpense(a, { group_id: groupId, participants: [a, b], description: "Cab" });
    const group = await get(`/app/groups/${groupId}`, a);
    expect(group.body).toContain(`href="/app/groups/${groupId}/activity"`);
    const feed = await get(`/app/groups/${groupId}/activity`, b);
    expect(feed.statusCode).toBe(200);
    expect(textOf(feed.body)).toContain("Asha added “Cab” (₹1,200.00)");
    expect((await get(`/app/groups/${groupId}/activity`, c)).statusCode).toBe(404);
  });

  test("the nav links Activity on every app page", async () => {
    const page = await get("/app", a);
    expect(page.body).toContain('href="/app/activity"');
  });
});

describe("restoring a deleted expense", () => {
  test("from the feed: the deleted view, Restore, and the balances are back", async () => {
    const id = await apiExpense(a, { description: "Tickets" });
    const before = await balancesOf(b);
    expect((await t.call("DELETE", `/expenses/${id}`, undefined, { as: a })).status).toBe(204);
    expect(await balancesOf(b)).not.toEqual(before);
    const feed = await get("/app/activity", a);
    expect(textOf(feed.body)).toContain("You deleted “Tickets” (₹1,200.00) — Restore");
    expect(feed.body).toContain(`href="/app/expenses/${id}/deleted"`);
    const view = await get(`/app/expenses/${id}/deleted`, a);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain(`action="/app/expenses/${id}/restore"`);
    expect(view.body).toContain('name="_csrf"');
    const done = await post(`/app/expenses/${id}/restore`, {}, a);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/app/expenses/${id}`);
    const shown = await get(`/app/expenses/${id}`, a);
    expect(shown.body).toContain("Expense restored");
    expect(await balancesOf(b)).toEqual(before);
    // Live again: the deleted view sends to the expense; restoring twice is a clear 409.
    expect((await get(`/app/expenses/${id}/deleted`, a)).statusCode).toBe(303);
    const again = await post(`/app/expenses/${id}/restore`, {}, a);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain("Not restored");
    expect(again.body).toContain("is not deleted");
  });

  test("without a CSRF token nothing is restored", async () => {
    const id = await apiExpense(a);
    await t.call("DELETE", `/expenses/${id}`, undefined, { as: a });
    const res = await post(`/app/expenses/${id}/restore`, { _csrf: "forged" }, a);
    expect(res.statusCode).toBe(403);
    expect((await t.call("GET", `/expenses/${id}`, undefined, { as: a })).status).toBe(404);
  });

  test("a participant who left the group sees it but gets the 403 page, no Restore", async () => {
    const g = await t.call("POST", "/groups", { name: "Trip", members: [b, c] }, { as: a });
    const groupId = g.body.groupid as number;
    const id = await apiExpense(a, { group_id: groupId });
    await t.call("DELETE", `/expenses/${id}`, undefined, { as: a });
    const left = await t.call("DELETE", `/groups/${groupId}/members/${c}`, undefined, { as: a });
    expect(left.status).toBe(204);
    const view = await get(`/app/expenses/${id}/deleted`, c);
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toContain(`action="/app/expenses/${id}/restore"`);
    const res = await post(`/app/expenses/${id}/restore`, {}, c);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain("Only the group&#39;s members may change its expenses");
    // A stranger: 404, as for any expense they may not see.
    const z = await t.stranger("Zed");
    expect((await post(`/app/expenses/${id}/restore`, {}, z)).statusCode).toBe(404);
    expect((await t.call("GET", `/expenses/${id}`, undefined, { as: a })).status).toBe(404);
  });
});

describe("deleting and restoring a settlement", () => {
  test("history Delete → confirm → deleted; Restore from the feed brings it back", async () => {
    const s = await t.call(
      "POST",
      "/settlements",
      { from_user: c, to_user: a, amount: "500" },
      { as: c },
    );
    const sid = s.body.settlementid as number;
    const before = await balancesOf(a);
    const history = await get("/app/settlements", a);
    expect(history.body).toContain(`href="/app/settlements/${sid}/delete"`);
    const confirm = await get(`/app/settlements/${sid}/delete`, a);
    expect(confirm.statusCode).toBe(200);
    expect(textOf(confirm.body)).toContain("Chetan paid you ₹500.00");
    const del = await post(`/app/settlements/${sid}/delete`, {}, a);
    expect(del.statusCode).toBe(303);
    expect(await balancesOf(a)).not.toEqual(before);
    expect((await get("/app/settlements", a)).body).not.toContain(`/app/settlements/${sid}/delete`);
    const feed = await get("/app/activity", a);
    expect(textOf(feed.body)).toContain("You deleted a payment of ₹500.00 from Chetan to you");
    expect(feed.body).toContain(`action="/app/settlements/${sid}/restore"`);
    const back = await post(`/app/settlements/${sid}/restore`, {}, a);
    expect(back.statusCode).toBe(303);
    expect(await balancesOf(a)).toEqual(before);
    expect((await post(`/app/settlements/${sid}/restore`, {}, a)).statusCode).toBe(409);
    // Not a party: 404 for the confirmation and the action.
    const b2 = await get(`/app/settlements/${sid}/delete`, b);
    expect(b2.statusCode).toBe(404);
    expect((await post(`/app/settlements/${sid}/delete`, {}, b)).statusCode).toBe(404);
  });
});
