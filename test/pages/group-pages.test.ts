import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { pageSuite } from "./page-suite.js";

/** Issue 14's pages over the group services: list, new, group page, settings, group_id carried. */
let t: TestApp;
let a: number; // Asha
let b: number; // Bela
let c: number; // Chetan
let f: number; // a stranger to everyone

const suite = pageSuite({ users: ["Asha", "Bela", "Chetan"] });
beforeEach(async () => {
  t = suite.t;
  [a, b, c] = suite.users;
  f = await t.stranger("Farah");
});

const { get, post } = suite;

async function trip(members = [b, c]) {
  const g = await t.call("POST", "/groups", { name: "Goa trip", members }, { as: a });
  return g.body.groupid as number;
}
async function groupExpense(group: number, payer: number, amount: string, people: number[]) {
  const e = await t.call(
    "POST",
    "/expenses",
    {
      paid_by: payer,
      amount,
      split_type: "EQUAL",
      participants: people,
      description: "Villa",
      group_id: group,
    },
    { as: payer },
  );
  expect(e.status).toBe(201);
  return e.body.expenseid as number;
}

describe("group pages", () => {
  test("new group: members from people you know; creates and redirects to the group page", async () => {
    const form = await get("/app/groups/new", a);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`name="member" value="${b}"`);
    expect(form.body).not.toContain("Farah");
    const res = await post(
      "/app/groups/new",
      { name: "Goa trip", member: [String(b), String(c)], simplify: ["0", "1"] },
      a,
    );
    expect(res.statusCode).toBe(303);
    const id = Number(/\/app\/groups\/(\d+)$/.exec(res.headers.location as string)?.[1]);
    const api = await t.call("GET", `/groups/${id}`, undefined, { as: a });
    expect(api.body.members.map((m: { userid: number }) => m.userid).sort()).toEqual(
      [a, b, c].sort(),
    );
    expect(api.body.simplify_debts).toBe(true);
    const page = await get(res.headers.location as string, a);
    expect(page.body).toContain("Group created.");
    // Simplify unticked: only the hidden 0 is sent.
    const off = await post("/app/groups/new", { name: "Flat", simplify: "0" }, a);
    const offId = /(\d+)$/.exec(off.headers.location as string)?.[1];
    expect(
      (await t.call("GET", `/groups/${offId}`, undefined, { as: a })).body.simplify_debts,
    ).toBe(false);
  });

  test("new group errors: empty name and a stranger are shown, nothing is created", async () => {
    const res = await post("/app/groups/new", { name: " ", member: String(f) }, a);
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="e-name">Must not be empty/);
    const stranger = await post("/app/groups/new", { name: "Trip", member: String(f) }, a);
    expect(stranger.statusCode).toBe(422);
    expect(stranger.body).toContain("error-summary");
    expect((await t.call("GET", "/groups", undefined, { as: a })).body.items).toEqual([]);
  });

  test("dashboard and Groups page list each group with your net, neutral when zero", async () => {
    const g = await trip();
    await trip([b]);
    await groupExpense(g, a, "300.00", [a, b, c]);
    for (const url of ["/app", "/app/groups"]) {
      const page = await get(url, a);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('href="/app/groups/new"');
      expect(page.body).toMatch(
        new RegExp(`class="person owed" data-group="${g}"[\\s\\S]*?you are owed ₹200.00`),
      );
      expect(page.body).toMatch(/class="person zero" data-group="\d+"[\s\S]*?settled up/);
    }
    expect((await get("/app", b)).body).toMatch(/you owe ₹100.00/);
  });

  test("group page: nets, the simplified plan with Settle up for your transfers, expenses, chart", async () => {
    const g = await trip();
    await groupExpense(g, a, "300.00", [a, b, c]);
    await groupExpense(g, b, "90.00", [b, c]);
    const page = await get(`/app/groups/${g}`, c);
    expect(page.statusCode).toBe(200);
    // Asha +200, Bela -100 + 45 = -55, Chetan -145.
    expect(page.body).toMatch(/is owed ₹200.00/);
    expect(page.body).toMatch(/owes ₹55.00/);
    expect(page.body).toMatch(/owes ₹145.00/);
    expect(page.body).toContain("Plan: the fewest payments");
    // Simplified: two payments, both to Asha; Chetan's has his button.
    expect(page.body).toContain(`/app/settle?group=${g}&amp;with=${a}`);
    expect(page.body.match(/\/app\/settle\?group=/g)).toHaveLength(1);
    expect(page.body).toContain('<title id="nets-title">');
    expect(page.body).toMatch(/<desc id="nets-desc">[^<]*Chetan( \d+)? owes ₹145.00/);
    expect(page.body).toContain(`href="/app/expenses/new?group=${g}"`);
    expect(page.body.match(/class="desc">Villa/g)).toHaveLength(2);
    // Pairwise when the group's switch is off.
    await t.call("PATCH", `/groups/${g}`, { simplify_debts: false }, { as: a });
    const pairwise = await get(`/app/groups/${g}`, c);
    expect(pairwise.body).toContain('<h2 id="plan-h">Balances</h2>');
    expect(pairwise.body.match(/\/app\/settle\?group=/g)).toHaveLength(2);
  });

  test("non-members get the 404 page for every group page", async () => {
    const g = await trip([b]);
    for (const url of [
      `/app/groups/${g}`,
      `/app/groups/${g}/settings`,
      `/app/expenses/new?group=${g}`,
      `/app/settle?group=${g}`,
      "/app/groups/999",
    ]) {
      const res = await get(url, c);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
      expect(res.body).toContain("<h1>Not found</h1>");
    }
    const before = await t.call("GET", `/groups/${g}`, undefined, { as: a });
    const rename = await post(`/app/groups/${g}/settings`, { name: "Mine" }, c);
    expect(rename.statusCode).toBe(404);
    expect((await t.call("GET", `/groups/${g}`, undefined, { as: a })).body).toEqual(before.body);
  });

  test("Add expense from the group: members ticked, group_id carried into the expense; editing keeps it", async () => {
    const g = await trip([b]);
    const form = await get(`/app/expenses/new?group=${g}`, a);
    expect(form.body).toContain(`name="group_id" value="${g}"`);
    expect(form.body).toMatch(new RegExp(`name="participant" value="${b}" checked`));
    expect(form.body).not.toMatch(new RegExp(`name="participant" value="${c}" checked`));
    const res = await post(
      "/app/expenses/new",
      {
        description: "Cab",
        amount: "100",
        date: "2026-11-20",
        paid_by: String(a),
        split_type: "EQUAL",
        row: [String(a), String(b)],
        participant: [String(a), String(b)],
        group_id: String(g),
      },
      a,
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/app/groups/${g}`);
    const list = await t.call("GET", `/groups/${g}/expenses`, undefined, { as: a });
    expect(list.body.items).toHaveLength(1);
    const id = list.body.items[0].expenseid;
    expect(list.body.items[0].group_id).toBe(g);
    const edit = await post(
      `/app/expenses/${id}/edit`,
      {
        version: "1",
        description: "Cab home",
        amount: "120",
        date: "2026-11-20",
        paid_by: String(a),
        split_type: "EQUAL",
        row: [String(a), String(b)],
        participant: [String(a), String(b)],
      },
      a,
    );
    expect(edit.statusCode).toBe(303);
    expect((await t.call("GET", `/expenses/${id}`, undefined, { as: a })).body.group_id).toBe(g);
    // A non-member ticked in a group expense: refused with the service's message, nothing saved.
    const bad = await post(
      "/app/expenses/new",
      {
        description: "Snacks",
        amount: "30",
        date: "2026-11-20",
        paid_by: String(a),
        split_type: "EQUAL",
        row: [String(a), String(c)],
        participant: [String(a), String(c)],
        group_id: String(g),
      },
      a,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("error-summary");
    expect(bad.body).toContain(`name="group_id" value="${g}"`);
  });

  test("Settle up from the group page: prefilled with the plan's transfer, recorded with group_id", async () => {
    const g = await trip();
    await groupExpense(g, a, "300.00", [a, b, c]);
    const form = await get(`/app/settle?group=${g}&with=${a}`, b);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`name="group_id" value="${g}"`);
    expect(form.body).toContain('value="100.00"');
    expect(form.body).toMatch(/value="paid" checked/);
    const res = await post(
      "/app/settle",
      { direction: "paid", other: String(a), amount: "100.00", group_id: String(g) },
      b,
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/app/groups/${g}`);
    const s = await t.call("GET", `/groups/${g}/settlements`, undefined, { as: a });
    expect(s.body.items).toHaveLength(1);
    expect(s.body.items[0]).toMatchObject({ from_user: b, to_user: a, group_id: g });
    const page = await get(`/app/groups/${g}`, b);
    expect(page.body).toContain("Settlement recorded.");
    expect(page.body).toMatch(new RegExp(`data-member="${b}"[\\s\\S]*?settled up`));
    // More than the group asks: the confirmation step, worded from the group's balances.
    const over = await post(
      "/app/settle",
      {
        direction: "paid",
        other: String(a),
        amount: "500",
        group_id: String(g),
      },
      c,
    );
    expect(over.statusCode).toBe(200);
    expect(over.body).toContain("More than is owed");
    expect(over.body).toMatch(/You owe Asha( \d+)? ₹100.00/);
  });

  test("settings: rename and switch; remove with a balance is a clear 409; archive", async () => {
    const g = await trip();
    expect((await get(`/app/groups/${g}/settings`, a)).statusCode).toBe(200);
    const saved = await post(`/app/groups/${g}/settings`, { name: "Goa 2026", simplify: "0" }, a);
    expect(saved.statusCode).toBe(303);
    const api = await t.call("GET", `/groups/${g}`, undefined, { as: a });
    expect(api.body).toMatchObject({ name: "Goa 2026", simplify_debts: false });
    const empty = await post(`/app/groups/${g}/settings`, { name: "" }, a);
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toMatch(/id="e-name">Must not be empty/);

    await groupExpense(g, a, "100.00", [a, b]);
    const removing = await post(`/app/groups/${g}/members/${b}/remove`, {}, a);
    expect(removing.statusCode).toBe(409);
    expect(removing.body).toMatch(/Bela( \d+)? still has a balance in this group: settle up first/);
    const archiving = await post(`/app/groups/${g}/archive`, {}, a);
    expect(archiving.statusCode).toBe(409);
    expect(archiving.body).toContain("still has a balance: everyone must settle up");

    // Chetan has nothing open: removed, then added back.
    const removed = await post(`/app/groups/${g}/members/${c}/remove`, {}, a);
    expect(removed.statusCode).toBe(303);
    const settings = await get(`/app/groups/${g}/settings`, a);
    expect(settings.body).toContain("Member removed.");
    expect(settings.body).toMatch(new RegExp(`<option value="${c}">Chetan( \\d+)?</option>`));
    const added = await post(`/app/groups/${g}/members`, { userid: String(c) }, a);
    expect(added.statusCode).toBe(303);
    const stranger = await post(`/app/groups/${g}/members`, { userid: String(f) }, a);
    expect(stranger.statusCode).toBe(422);
    expect(stranger.body).toContain("error-summary");

    await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "50.00", group_id: g },
      { as: b },
    );
    const archived = await post(`/app/groups/${g}/archive`, {}, a);
    expect(archived.statusCode).toBe(303);
    const page = await get(`/app/groups/${g}`, a);
    expect(page.body).toContain("archived");
    expect(page.body).not.toContain("/app/expenses/new?group=");
    expect(page.body).not.toContain("/app/settle?group=");
    const ro = await get(`/app/groups/${g}/settings`, a);
    expect(ro.body).not.toContain("/archive");
    expect(ro.body).not.toContain("/remove");
  });
});
