import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyLedger } from "../../src/services/ledger.js";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";

let t: TestApp;
let a: number;
let b: number;
let c: number;
let s: number; // a stranger to everyone
const suite = appSuite({ users: ["A", "B", "C"] });
beforeEach(async () => {
  t = suite.t;
  [a, b, c] = suite.users;
  s = await t.stranger("S");
});

const newGroup = async (as: number, members: number[], extra: object = {}) => {
  const res = await t.call("POST", "/groups", { name: "Trip", members, ...extra }, { as });
  expect(res.status).toBe(201);
  return res.body.groupid as number;
};

const expense = (
  as: number,
  body: { paid_by: number; participants: number[]; amount: string; group_id?: number | null },
) => t.call("POST", "/expenses", { split_type: "EQUAL", description: "x", ...body }, { as });

const groupBal = async (as: number, g: number, query = "") => {
  const res = await t.call("GET", `/groups/${g}/balances${query}`, undefined, { as });
  expect(res.status).toBe(200);
  return res.body;
};

const userBal = async (u: number) =>
  (await t.call("GET", `/users/${u}/balances`, undefined, { as: u })).body;

describe("creating and reading groups", () => {
  it("creates a group with the creator and known members; 201 with the issue's fields", async () => {
    const res = await t.call("POST", "/groups", { name: " Goa trip ", members: [b, c] }, { as: a });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Goa trip",
      simplify_debts: true,
      archived: false,
      created_by: a,
    });
    expect(res.body.members.map((m: { userid: number }) => m.userid).sort()).toEqual(
      [a, b, c].sort(),
    );
    expect(Object.keys(res.body).sort()).toEqual(
      [
        "archived",
        "created_at",
        "created_by",
        "currency",
        "groupid",
        "members",
        "name",
        "simplify_debts",
      ].sort(),
    );
    const got = await t.call("GET", `/groups/${res.body.groupid}`, undefined, { as: c });
    expect(got.body).toEqual(res.body);
  });

  it("refuses a stranger as member with the same 422 as an unknown id, creating nothing", async () => {
    const stranger = await t.call("POST", "/groups", { name: "x", members: [s] }, { as: a });
    const unknown = await t.call("POST", "/groups", { name: "x", members: [999_999] }, { as: a });
    expect(stranger.status).toBe(422);
    expect(unknown.status).toBe(422);
    expect(stranger.body.errors[0].message).toBe(
      unknown.body.errors[0].message.replace("999999", String(s)),
    );
    expect((await t.call("GET", "/groups", undefined, { as: a })).body.items).toEqual([]);
  });

  it("lists the actor's groups newest first with their net, paginated", async () => {
    const g1 = await newGroup(a, [b]);
    const g2 = await newGroup(a, [c], { simplify_debts: false });
    await expense(a, { paid_by: a, participants: [a, b], amount: "30.00", group_id: g1 });
    const page1 = await t.call("GET", "/groups?limit=1", undefined, { as: a });
    expect(page1.body.items.map((g: { groupid: number }) => g.groupid)).toEqual([g2]);
    expect(page1.body.items[0]).toMatchObject({ net: 0, simplify_debts: false });
    const page2 = await t.call(
      "GET",
      `/groups?limit=1&cursor=${page1.body.next_cursor}`,
      undefined,
      { as: a },
    );
    expect(
      page2.body.items.map((g: { groupid: number; net: number }) => [g.groupid, g.net]),
    ).toEqual([[g1, 15]]);
    expect(page2.body.next_cursor).toBeNull();
    // b sees only g1, where b owes 15.
    const bs = await t.call("GET", "/groups", undefined, { as: b });
    expect(bs.body.items.map((g: { net: number }) => g.net)).toEqual([-15]);
  });

  it("hides a group and all its parts from non-members (404)", async () => {
    const g = await newGroup(a, [b]);
    for (const [method, url, body] of [
      ["GET", `/groups/${g}`, undefined],
      ["PATCH", `/groups/${g}`, { name: "mine" }],
      ["DELETE", `/groups/${g}`, undefined],
      ["POST", `/groups/${g}/members`, { userid: s }],
      ["DELETE", `/groups/${g}/members/${b}`, undefined],
      ["GET", `/groups/${g}/balances`, undefined],
      ["GET", `/groups/${g}/expenses`, undefined],
      ["GET", `/groups/${g}/settlements`, undefined],
    ] as const) {
      const res = await t.call(method, url, body, { as: s });
      expect({ url, method, status: res.status }).toEqual({ url, method, status: 404 });
    }
    // Money into a group one cannot see: 404 as well, even with an otherwise invalid body.
    const e = await expense(s, { paid_by: s, participants: [s], amount: "1.00", group_id: g });
    expect(e.status).toBe(404);
    const bad = await expense(s, { paid_by: s, participants: [s], amount: "1.001", group_id: g });
    expect(bad.status).toBe(404);
    const st = await t.call(
      "POST",
      "/settlements",
      { from_user: s, to_user: a, amount: "1.00", group_id: g },
      { as: s },
    );
    expect(st.status).toBe(404);
    expect((await t.call("GET", "/groups", undefined, { as: s })).body.items).toEqual([]);
  });

  it("renames and switches simplification with PATCH", async () => {
    const g = await newGroup(a, [b]);
    const res = await t.call(
      "PATCH",
      `/groups/${g}`,
      { name: "Flat", simplify_debts: false },
      { as: b },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ groupid: g, name: "Flat", simplify_debts: false });
    const bad = await t.call("PATCH", `/groups/${g}`, { name: "" }, { as: b });
    expect(bad.status).toBe(400);
  });

  it("co-members know each other", async () => {
    // b befriends the stranger, then puts them in a group with a: a and s now know each other.
    expect((await t.call("GET", `/users/${s}`, undefined, { as: a })).status).toBe(404);
    expect(
      (await t.call("POST", "/friends", { email: t.emailOf(s) }, { as: b })).status,
    ).toBeLessThan(300);
    await newGroup(b, [a, s]);
    expect((await t.call("GET", `/users/${s}`, undefined, { as: a })).status).toBe(200);
    expect((await t.call("GET", `/users/${a}`, undefined, { as: s })).status).toBe(200);
  });
});

describe("members", () => {
  it("adds a member (201), again (200), refuses a stranger (422)", async () => {
    const g = await newGroup(a, []);
    const add = await t.call("POST", `/groups/${g}/members`, { userid: b }, { as: a });
    expect(add.status).toBe(201);
    expect(add.body.members.map((m: { userid: number }) => m.userid)).toContain(b);
    expect((await t.call("POST", `/groups/${g}/members`, { userid: b }, { as: a })).status).toBe(
      200,
    );
    const stranger = await t.call("POST", `/groups/${g}/members`, { userid: s }, { as: a });
    expect(stranger.status).toBe(422);
  });

  it("refuses to remove a member with a balance in the group (409), then removes after settling", async () => {
    const g = await newGroup(a, [b, c]);
    await expense(a, { paid_by: a, participants: [a, b], amount: "20.00", group_id: g });
    const refused = await t.call("DELETE", `/groups/${g}/members/${b}`, undefined, { as: a });
    expect(refused.status).toBe(409);
    // c has no balance: c may leave.
    expect((await t.call("DELETE", `/groups/${g}/members/${c}`, undefined, { as: c })).status).toBe(
      204,
    );
    expect((await t.call("GET", `/groups/${g}`, undefined, { as: c })).status).toBe(404);
    const settled = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "10.00", group_id: g },
      { as: b },
    );
    expect(settled.status).toBe(201);
    expect(settled.body.group_id).toBe(g);
    expect((await t.call("DELETE", `/groups/${g}/members/${b}`, undefined, { as: a })).status).toBe(
      204,
    );
    // Not a member any more: not in new group expenses (422 listing them), not found to remove.
    const e = await expense(a, {
      paid_by: a,
      participants: [a, b, c],
      amount: "3.00",
      group_id: g,
    });
    expect(e.status).toBe(422);
    expect(e.body.errors.map((x: { field: string }) => x.field)).toEqual([
      "participants[1]",
      "participants[2]",
    ]);
    expect(e.body.detail).toContain(`${b}, ${c}`);
    expect((await t.call("DELETE", `/groups/${g}/members/${b}`, undefined, { as: a })).status).toBe(
      404,
    );
    // Added back: a member again.
    expect((await t.call("POST", `/groups/${g}/members`, { userid: b }, { as: a })).status).toBe(
      201,
    );
  });
});

describe("group expenses", () => {
  it("requires every payer and participant to be a member (422 listing the non-members)", async () => {
    const g = await newGroup(a, [b]);
    const res = await expense(a, {
      paid_by: c,
      participants: [a, c],
      amount: "10.00",
      group_id: g,
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: "paid_by", message: `user ${c} is not a member of group ${g}` },
    ]);
    expect(await userBal(a)).toMatchObject({ net: 0 });
  });

  it("lets any member add, see, edit and delete the group's expenses, recording who", async () => {
    const g = await newGroup(a, [b, c]);
    // c takes no part but records it.
    const e = await expense(c, { paid_by: a, participants: [a, b], amount: "10.00", group_id: g });
    expect(e.status).toBe(201);
    expect(e.body).toMatchObject({ group_id: g, created_by: c });
    const id = e.body.expenseid;
    expect((await t.call("GET", `/expenses/${id}`, undefined, { as: c })).status).toBe(200);
    expect((await t.call("GET", `/expenses/${id}`, undefined, { as: s })).status).toBe(404);
    const body = {
      paid_by: b,
      participants: [a, b],
      amount: "40.00",
      split_type: "EQUAL",
      description: "y",
      group_id: g,
    };
    const put = await t.call("PUT", `/expenses/${id}`, body, { as: c });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ updated_by: c, group_id: g });
    expect(await groupBal(a, g, "?simplify=false")).toMatchObject({
      balances: [{ from_user: a, to_user: b, amount: 20 }],
    });
    const list = await t.call("GET", `/groups/${g}/expenses`, undefined, { as: b });
    expect(list.body.items.map((x: { expenseid: number }) => x.expenseid)).toEqual([id]);
    expect((await t.call("DELETE", `/expenses/${id}`, undefined, { as: c })).status).toBe(204);
    expect((await groupBal(a, g)).balances).toEqual([]);
    expect(await userBal(a)).toMatchObject({ net: 0 });
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });

  it("a PUT without group_id takes the expense out of its group (overall balance unchanged)", async () => {
    const g = await newGroup(a, [b]);
    const e = await expense(a, { paid_by: a, participants: [a, b], amount: "10.00", group_id: g });
    const body = {
      paid_by: a,
      participants: [a, b],
      amount: "10.00",
      split_type: "EQUAL",
      description: "x",
    };
    const put = await t.call("PUT", `/expenses/${e.body.expenseid}`, body, { as: a });
    expect(put.status).toBe(200);
    expect(put.body.group_id).toBeNull();
    expect((await groupBal(a, g)).members.every((m: { net: number }) => m.net === 0)).toBe(true);
    expect((await t.call("GET", `/groups/${g}/expenses`, undefined, { as: a })).body.items).toEqual(
      [],
    );
    expect(await userBal(a)).toMatchObject({ net: 5 });
    // And back into the group.
    const back = await t.call(
      "PUT",
      `/expenses/${e.body.expenseid}`,
      { ...body, group_id: g },
      { as: a },
    );
    expect(back.body.group_id).toBe(g);
    expect((await groupBal(a, g)).members).toEqual(
      expect.arrayContaining([
        { userid: a, net: 5, nets: [{ currency: "INR", amount: 5 }] },
        { userid: b, net: -5, nets: [{ currency: "INR", amount: -5 }] },
      ]),
    );
  });

  it("outside a group, responses carry group_id null", async () => {
    const e = await expense(a, { paid_by: a, participants: [a, b], amount: "10.00" });
    expect(e.body.group_id).toBeNull();
    const st = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "1.00" },
      { as: b },
    );
    expect(st.body.group_id).toBeNull();
  });
});

describe("group balances", () => {
  it("keeps group and non-group balances apart; the overall balance is their sum", async () => {
    const g = await newGroup(a, [b, c]);
    await expense(a, { paid_by: a, participants: [a, b], amount: "20.00", group_id: g }); // b owes a 10 (group)
    await expense(b, { paid_by: b, participants: [a, b], amount: "6.00" }); // a owes b 3 (friends)
    expect(await groupBal(a, g, "?simplify=false")).toEqual({
      groupid: g,
      simplified: false,
      balances: [{ from_user: b, to_user: a, amount: 10, currency: "INR" }],
      members: expect.arrayContaining([
        { userid: a, net: 10, nets: [{ currency: "INR", amount: 10 }] },
        { userid: b, net: -10, nets: [{ currency: "INR", amount: -10 }] },
        { userid: c, net: 0, nets: [] },
      ]),
    });
    expect(await userBal(a)).toMatchObject({ owed_by: [{ from_user: b, amount: 7 }], net: 7 });
  });

  it("simplifies by the group's flag, overridable per request; settling along the plan moves the nets", async () => {
    const g = await newGroup(a, [b, c]);
    await expense(b, { paid_by: b, participants: [a], amount: "10.00", group_id: g }); // a owes b 10
    await expense(c, { paid_by: c, participants: [b], amount: "10.00", group_id: g }); // b owes c 10
    const simplified = await groupBal(a, g);
    expect(simplified).toMatchObject({
      simplified: true,
      balances: [{ from_user: a, to_user: c, amount: 10 }],
    });
    expect(simplified.members.reduce((x: number, m: { net: number }) => x + m.net, 0)).toBe(0);
    expect((await groupBal(a, g, "?simplify=false")).balances).toEqual([
      { from_user: a, to_user: b, amount: 10, currency: "INR" },
      { from_user: b, to_user: c, amount: 10, currency: "INR" },
    ]);
    await t.call("PATCH", `/groups/${g}`, { simplify_debts: false }, { as: c });
    expect((await groupBal(a, g)).simplified).toBe(false);
    expect((await groupBal(a, g, "?simplify=true")).balances).toHaveLength(1);
    // a pays c along the plan (b records it: any member may).
    const st = await t.call(
      "POST",
      "/settlements",
      { from_user: a, to_user: c, amount: "10.00", group_id: g },
      { as: b },
    );
    expect(st.status).toBe(201);
    const after = await groupBal(a, g, "?simplify=true");
    expect(after.balances).toEqual([]);
    expect(after.members.map((m: { net: number }) => m.net)).toEqual([0, 0, 0]);
    const setts = await t.call("GET", `/groups/${g}/settlements`, undefined, { as: b });
    expect(setts.body.items.map((x: { settlementid: number }) => x.settlementid)).toEqual([
      st.body.settlementid,
    ]);
    expect(
      (await t.call("GET", `/settlements/${st.body.settlementid}`, undefined, { as: b })).status,
    ).toBe(200);
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });

  it("refuses a group settlement with a non-member (422)", async () => {
    const g = await newGroup(a, [b]);
    const res = await t.call(
      "POST",
      "/settlements",
      { from_user: a, to_user: c, amount: "1.00", group_id: g },
      { as: a },
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: "to_user", message: `user ${c} is not a member of group ${g}` },
    ]);
  });
});

describe("verify-ledger", () => {
  it("reports a group balance that its group's ledger does not imply", async () => {
    const g = await newGroup(a, [b]);
    await expense(a, { paid_by: a, participants: [a, b], amount: "20.00", group_id: g });
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
    // Move the debt to another group's books: the overall balances still agree, the groups not.
    const other = await newGroup(a, [b]);
    await t.db.db.execute(
      sql`update group_pair_balances set group_id = ${other} where group_id = ${g}`,
    );
    const report = await verifyLedger(t.db.db);
    expect(report.ok).toBe(false);
    expect(report.drift.map((d) => [d.groupId, d.stored, d.expected]).sort()).toEqual(
      [
        [g, 0, -1000],
        [other, -1000, 0],
      ].sort(),
    );
  });
});

describe("archiving", () => {
  it("refuses while balances are open (409), then archives (204): readable, nothing new (422)", async () => {
    const g = await newGroup(a, [b]);
    const e = await expense(a, { paid_by: a, participants: [a, b], amount: "20.00", group_id: g });
    expect((await t.call("DELETE", `/groups/${g}`, undefined, { as: b })).status).toBe(409);
    await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "10.00", group_id: g },
      { as: b },
    );
    expect((await t.call("DELETE", `/groups/${g}`, undefined, { as: b })).status).toBe(204);
    expect((await t.call("DELETE", `/groups/${g}`, undefined, { as: b })).status).toBe(204);
    const got = await t.call("GET", `/groups/${g}`, undefined, { as: a });
    expect(got.body.archived).toBe(true);
    expect(
      (await t.call("GET", `/groups/${g}/expenses`, undefined, { as: a })).body.items,
    ).toHaveLength(1);
    const refused = [
      await expense(a, { paid_by: a, participants: [a, b], amount: "1.00", group_id: g }),
      await t.call(
        "POST",
        "/settlements",
        { from_user: b, to_user: a, amount: "1.00", group_id: g },
        { as: b },
      ),
      await t.call("POST", `/groups/${g}/members`, { userid: c }, { as: a }),
      await t.call("PATCH", `/groups/${g}`, { name: "again" }, { as: a }),
      await t.call("DELETE", `/expenses/${e.body.expenseid}`, undefined, { as: a }),
    ];
    expect(refused.map((r) => r.status)).toEqual([422, 422, 422, 422, 422]);
    expect((await t.call("GET", `/groups/${g}/balances`, undefined, { as: a })).status).toBe(200);
  });
});
