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

const expenseBody = (extra: object = {}) => ({
  paid_by: a,
  amount: "100.00",
  split_type: "EQUAL",
  participants: [a, b, c],
  description: "Dinner",
  ...extra,
});

async function newExpense(as = a, extra: object = {}): Promise<number> {
  const res = await t.call("POST", "/expenses", expenseBody(extra), { as });
  expect(res.status).toBe(201);
  return res.body.expenseid;
}

async function newGroup(as = a, members = [b, c]): Promise<number> {
  const res = await t.call("POST", "/groups", { name: "Trip", members }, { as });
  expect(res.status).toBe(201);
  return res.body.groupid;
}

const feed = async (u: number, query = "") => {
  const res = await t.call("GET", `/users/${u}/activity${query}`, undefined, { as: u });
  expect(res.status).toBe(200);
  return res.body as { items: Record<string, unknown>[]; next_cursor: string | null };
};

const balances = async (u: number) =>
  (await t.call("GET", `/users/${u}/balances`, undefined, { as: u })).body;
const groupBalances = async (u: number, g: number) =>
  (await t.call("GET", `/groups/${g}/balances?simplify=false`, undefined, { as: u })).body;

async function count(table: "activity" | "outbox"): Promise<number> {
  const r = (await t.db.db.execute(
    sql.raw(`select count(*)::int as n from ${table}`),
  )) as unknown as {
    rows: { n: number }[];
  };
  return Number(r.rows[0]?.n);
}

async function ledgerOk() {
  const report = await verifyLedger(t.db.db);
  expect(report.drift).toEqual([]);
  expect(report.ok).toBe(true);
}

describe("activity entries", () => {
  it("records create, edit (with changes), delete and restore of an expense, newest first", async () => {
    const id = await newExpense();
    const put = await t.call(
      "PUT",
      `/expenses/${id}`,
      expenseBody({ amount: "90.00", description: "Supper", participants: [a, b] }),
      { as: a },
    );
    expect(put.status).toBe(200);
    expect((await t.call("DELETE", `/expenses/${id}`, undefined, { as: a })).status).toBe(204);
    expect((await t.call("POST", `/expenses/${id}/restore`, undefined, { as: a })).status).toBe(
      200,
    );
    const { items } = await feed(a);
    expect(items.map((i) => i.kind)).toEqual([
      "expense.restored",
      "expense.deleted",
      "expense.updated",
      "expense.created",
    ]);
    for (const i of items) {
      expect(Object.keys(i).sort()).toEqual(
        [
          "activityid",
          "actor",
          "at",
          "changes",
          "expenseid",
          "groupid",
          "kind",
          "settlementid",
        ].sort(),
      );
      expect(i).toMatchObject({ actor: a, expenseid: id, settlementid: null, groupid: null });
    }
    expect(items[2]?.changes).toEqual({
      amount: { from: "100.00", to: "90.00" },
      description: { from: "Dinner", to: "Supper" },
      participants: {
        from: [
          { userid: a, amount: "33.34" },
          { userid: b, amount: "33.33" },
          { userid: c, amount: "33.33" },
        ],
        to: [
          { userid: a, amount: "45.00" },
          { userid: b, amount: "45.00" },
        ],
      },
      payers: { from: [{ userid: a, amount: "100.00" }], to: [{ userid: a, amount: "90.00" }] },
    });
    expect(items[0]?.changes).toBeNull();
    // c was removed from the split by the edit: they still see the create and the edit.
    expect((await feed(c)).items.map((i) => i.kind)).toEqual([
      "expense.updated",
      "expense.created",
    ]);
  });

  it("records settlements and group changes; a member sees the group's entries", async () => {
    const g = await newGroup(a, [b]);
    await t.call("PATCH", `/groups/${g}`, { name: "Goa" }, { as: a });
    await t.call("POST", `/groups/${g}/members`, { userid: c }, { as: b });
    await newExpense(a, { participants: [a, b], group_id: g });
    const st = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "10.00", group_id: g },
      { as: b },
    );
    expect(st.status).toBe(201);
    const { items } = await feed(c);
    expect(items.map((i) => i.kind)).toEqual([
      "settlement.created",
      "expense.created",
      "group.member_added",
      "group.updated",
      "group.created",
    ]);
    expect(items[0]).toMatchObject({ settlementid: st.body.settlementid, groupid: g, actor: b });
    expect(items[2]?.changes).toEqual({ member: { from: null, to: c } });
    expect(items[3]?.changes).toEqual({ name: { from: "Trip", to: "Goa" } });
    const groupFeed = await t.call("GET", `/groups/${g}/activity`, undefined, { as: c });
    expect(groupFeed.status).toBe(200);
    expect(groupFeed.body.items).toEqual(items);
    // Removing c: the entry names them, and they no longer see the group's later entries.
    expect((await t.call("DELETE", `/groups/${g}/members/${c}`, undefined, { as: a })).status).toBe(
      204,
    );
    await t.call("PATCH", `/groups/${g}`, { name: "Goa 2" }, { as: a });
    const after = await feed(c);
    expect(after.items[0]).toMatchObject({
      kind: "group.member_removed",
      changes: { member: { from: c, to: null } },
    });
  });

  it("only the user reads their feed and only members the group's (404 otherwise)", async () => {
    const g = await newGroup(a, [b]);
    expect((await t.call("GET", `/users/${a}/activity`, undefined, { as: b })).status).toBe(404);
    expect((await t.call("GET", `/groups/${g}/activity`, undefined, { as: c })).status).toBe(404);
    expect((await t.call("GET", `/groups/${g}/activity`, undefined, { as: s })).status).toBe(404);
    expect((await t.call("GET", "/groups/999999/activity", undefined, { as: a })).status).toBe(404);
  });

  it("pages with next_cursor; a malformed cursor is 400", async () => {
    for (let i = 0; i < 5; i++) await newExpense();
    const first = await feed(a, "?limit=2");
    expect(first.items).toHaveLength(2);
    const second = await feed(a, `?limit=2&cursor=${first.next_cursor}`);
    const third = await feed(a, `?limit=2&cursor=${second.next_cursor}`);
    expect(third.next_cursor).toBeNull();
    const ids = [...first.items, ...second.items, ...third.items].map(
      (i) => i.activityid as number,
    );
    expect(ids).toHaveLength(5);
    expect([...ids].sort((x, y) => y - x)).toEqual(ids);
    const bad = await t.call("GET", `/users/${a}/activity?cursor=nonsense`, undefined, { as: a });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("cursor");
  });

  it("a refused write leaves no activity row", async () => {
    const id = await newExpense();
    const before = await count("activity");
    // 404: a stranger may not see it; 422: a stranger in the split.
    expect((await t.call("PUT", `/expenses/${id}`, expenseBody(), { as: s })).status).toBe(404);
    expect(
      (await t.call("POST", "/expenses", expenseBody({ participants: [a, s] }), { as: a })).status,
    ).toBe(422);
    expect((await t.call("POST", `/expenses/${id}/restore`, undefined, { as: a })).status).toBe(
      409,
    );
    const g = await newGroup(a, [b]);
    const afterGroup = await count("activity");
    expect(afterGroup).toBe(before + 1);
    const st = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "1.00" },
      { as: b },
    );
    await t.call("POST", `/groups/${g}/members`, { userid: s }, { as: a }); // 422: a stranger
    expect(
      (await t.call("DELETE", `/settlements/${st.body.settlementid}`, undefined, { as: c })).status,
    ).toBe(404);
    expect(await count("activity")).toBe(afterGroup + 1);
  });
});

describe("POST /expenses/{id}/restore", () => {
  it("brings the expense back with exactly the balances it had, and mails its people", async () => {
    const id = await newExpense();
    const before = [await balances(a), await balances(b), await balances(c)];
    expect((await t.call("DELETE", `/expenses/${id}`, undefined, { as: a })).status).toBe(204);
    expect(await balances(b)).not.toEqual(before[1]);
    const outbox = await count("outbox");
    const res = await t.call("POST", `/expenses/${id}/restore`, undefined, { as: a });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expenseid: id, amount: 100, description: "Dinner" });
    expect(res.headers.etag).toBe(`"${res.body.version}"`);
    expect([await balances(a), await balances(b), await balances(c)]).toEqual(before);
    expect((await t.call("GET", `/expenses/${id}`, undefined, { as: b })).status).toBe(200);
    const mails = (await t.db.db.execute(
      sql`select kind from outbox order by id desc limit 3`,
    )) as unknown as { rows: { kind: string }[] };
    expect(await count("outbox")).toBe(outbox + 3);
    expect(mails.rows.every((r) => JSON.stringify(r).includes("expense.restored"))).toBe(true);
    await ledgerOk();
  });

  it("checks in order: 404, 403, 409", async () => {
    const id = await newExpense();
    // A stranger: 404 whether deleted or not.
    expect((await t.call("POST", `/expenses/${id}/restore`, undefined, { as: s })).status).toBe(
      404,
    );
    expect((await t.call("POST", "/expenses/999999/restore", undefined, { as: a })).status).toBe(
      404,
    );
    expect((await t.call("POST", `/expenses/${id}/restore`, undefined, { as: a })).status).toBe(
      409,
    );
    await t.call("DELETE", `/expenses/${id}`, undefined, { as: a });
    expect((await t.call("POST", `/expenses/${id}/restore`, undefined, { as: s })).status).toBe(
      404,
    );
    expect((await t.call("POST", `/expenses/${id}/restore`, undefined, { as: a })).status).toBe(
      200,
    );
    // Any payer or participant may change an expense, so 403 is for someone who may see it but
    // not change it: a former group member who took part (here with a zero share, so they could
    // leave). 403 comes before 409 (not deleted) and before 422 (someone left the group).
    const g = await newGroup(a, [b, c]);
    const zeroForB = {
      group_id: g,
      split_type: "EXACT",
      split_values: ["50.00", "0.00", "50.00"],
    };
    const live = await newExpense(a, zeroForB);
    const gone = await newExpense(a, zeroForB);
    expect((await t.call("DELETE", `/expenses/${gone}`, undefined, { as: a })).status).toBe(204);
    expect((await t.call("DELETE", `/groups/${g}/members/${b}`, undefined, { as: a })).status).toBe(
      204,
    );
    expect((await t.call("POST", `/expenses/${live}/restore`, undefined, { as: b })).status).toBe(
      403,
    );
    expect((await t.call("POST", `/expenses/${gone}/restore`, undefined, { as: b })).status).toBe(
      403,
    );
    expect((await t.call("POST", `/expenses/${live}/restore`, undefined, { as: a })).status).toBe(
      409,
    );
  });

  it("re-applies group balances; any member may restore; an archived group refuses (422)", async () => {
    const g = await newGroup(a, [b, c]);
    const id = await newExpense(a, { group_id: g });
    const before = await groupBalances(a, g);
    await t.call("DELETE", `/expenses/${id}`, undefined, { as: a });
    // c does not pay but is a member: may restore.
    expect((await t.call("POST", `/expenses/${id}/restore`, undefined, { as: c })).status).toBe(
      200,
    );
    expect(await groupBalances(a, g)).toEqual(before);
    await ledgerOk();
    await t.call("DELETE", `/expenses/${id}`, undefined, { as: a });
    expect((await t.call("DELETE", `/groups/${g}`, undefined, { as: a })).status).toBe(204);
    const res = await t.call("POST", `/expenses/${id}/restore`, undefined, { as: a });
    expect(res.status).toBe(422);
    await ledgerOk();
  });
});

describe("group rules on restore and history", () => {
  it("refuses (422) to restore an expense of someone who left the group, writing nothing", async () => {
    const g = await newGroup(a, [b, c]);
    const id = await newExpense(a, { participants: [a, c], group_id: g });
    await t.call("DELETE", `/expenses/${id}`, undefined, { as: a });
    expect((await t.call("DELETE", `/groups/${g}/members/${c}`, undefined, { as: a })).status).toBe(
      204,
    );
    const rows = await count("activity");
    const res = await t.call("POST", `/expenses/${id}/restore`, undefined, { as: a });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].message).toContain("not a member");
    expect(await count("activity")).toBe(rows);
    await ledgerOk();
  });

  it("an expense moved out of its group stays in the group's history", async () => {
    const g = await newGroup(a, [b, c]);
    const id = await newExpense(a, { group_id: g });
    expect((await t.call("PUT", `/expenses/${id}`, expenseBody(), { as: a })).status).toBe(200);
    const items = (await t.call("GET", `/groups/${g}/activity`, undefined, { as: b })).body.items;
    expect(items[0]).toMatchObject({
      kind: "expense.updated",
      groupid: g,
      changes: { group_id: { from: g, to: null } },
    });
  });
});

describe("money of a deactivated user", () => {
  const deactivate = async (u: number) =>
    expect((await t.call("DELETE", `/users/${u}`, undefined, { as: u })).status).toBe(204);
  const refusedFor = (res: { status: number; body: { errors: { message: string }[] } }) => {
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.errors.map((e) => e.message)).toEqual([`user ${b} is deactivated`]);
  };

  it("refuses (422) to restore an expense or a settlement that would give them a balance", async () => {
    const id = await newExpense(a, { participants: [a, b] });
    await t.call("DELETE", `/expenses/${id}`, undefined, { as: a });
    const paid = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "5" },
      {
        as: a,
      },
    );
    await t.call("DELETE", `/settlements/${paid.body.settlementid}`, undefined, { as: a });
    await deactivate(b);
    const rows = await count("activity");
    refusedFor(await t.call("POST", `/expenses/${id}/restore`, undefined, { as: a }));
    refusedFor(
      await t.call("POST", `/settlements/${paid.body.settlementid}/restore`, undefined, { as: a }),
    );
    expect(await count("activity")).toBe(rows);
    expect((await balances(a)).nets).toEqual([]);
    await ledgerOk();
  });

  it("refuses (422) to delete or edit what nets their balance to zero", async () => {
    // B owes A 50 for the dinner and paid it back: square, so B may leave.
    const id = await newExpense(a, { participants: [a, b] });
    const paid = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "50" },
      {
        as: a,
      },
    );
    expect(paid.status).toBe(201);
    await deactivate(b);
    const rows = await count("activity");
    refusedFor(await t.call("DELETE", `/expenses/${id}`, undefined, { as: a }));
    refusedFor(
      await t.call("DELETE", `/settlements/${paid.body.settlementid}`, undefined, { as: a }),
    );
    const withoutB = expenseBody({ participants: [a, c] });
    refusedFor(await t.call("PUT", `/expenses/${id}`, withoutB, { as: a }));
    expect(await count("activity")).toBe(rows);
    expect((await balances(a)).nets).toEqual([]);
    await ledgerOk();
  });
});

describe("DELETE and restore of settlements", () => {
  it("reverses and re-applies a settlement exactly, overall and in its group", async () => {
    const g = await newGroup(a, [b, c]);
    await newExpense(a, { group_id: g });
    const before = [await balances(b), await groupBalances(a, g)];
    const st = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "20.00", group_id: g },
      { as: b },
    );
    const id = st.body.settlementid;
    const paid = [await balances(b), await groupBalances(a, g)];
    // c is a member but not a party: may delete it in the group.
    expect((await t.call("DELETE", `/settlements/${id}`, undefined, { as: c })).status).toBe(204);
    expect([await balances(b), await groupBalances(a, g)]).toEqual(before);
    expect((await t.call("GET", `/settlements/${id}`, undefined, { as: b })).status).toBe(404);
    await ledgerOk();
    // Deleting it again: 404 (it is gone, like a deleted expense).
    expect((await t.call("DELETE", `/settlements/${id}`, undefined, { as: b })).status).toBe(404);
    const res = await t.call("POST", `/settlements/${id}/restore`, undefined, { as: b });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ settlementid: id, amount: 20, from_user: b, to_user: a });
    expect([await balances(b), await groupBalances(a, g)]).toEqual(paid);
    expect((await t.call("POST", `/settlements/${id}/restore`, undefined, { as: b })).status).toBe(
      409,
    );
    await ledgerOk();
    const kinds = (await feed(b)).items.map((i) => i.kind);
    expect(kinds.slice(0, 3)).toEqual([
      "settlement.restored",
      "settlement.deleted",
      "settlement.created",
    ]);
  });

  it("outside a group only the two parties (404 for others); order 404, 403, 409", async () => {
    const st = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "5.00" },
      { as: b },
    );
    const id = st.body.settlementid;
    expect((await t.call("DELETE", `/settlements/${id}`, undefined, { as: c })).status).toBe(404);
    expect((await t.call("POST", `/settlements/${id}/restore`, undefined, { as: c })).status).toBe(
      404,
    );
    expect((await t.call("POST", `/settlements/${id}/restore`, undefined, { as: a })).status).toBe(
      409,
    );
    expect((await t.call("DELETE", `/settlements/${id}`, undefined, { as: a })).status).toBe(204);
    expect((await t.call("POST", `/settlements/${id}/restore`, undefined, { as: s })).status).toBe(
      404,
    );
    expect((await t.call("POST", `/settlements/${id}/restore`, undefined, { as: a })).status).toBe(
      200,
    );
    // A party who left the group may see a group settlement but not change it: 403 before 409.
    const g = await newGroup(a, [b, c]);
    const gs = await t.call(
      "POST",
      "/settlements",
      { from_user: c, to_user: a, amount: "1.00", group_id: g },
      { as: c },
    );
    await t.call("DELETE", `/settlements/${gs.body.settlementid}`, undefined, { as: a });
    expect((await t.call("DELETE", `/groups/${g}/members/${c}`, undefined, { as: a })).status).toBe(
      204,
    );
    const r = await t.call("POST", `/settlements/${gs.body.settlementid}/restore`, undefined, {
      as: c,
    });
    expect(r.status).toBe(403);
    // A member restoring it into a group that c left: 422 (c would get a balance there).
    const m = await t.call("POST", `/settlements/${gs.body.settlementid}/restore`, undefined, {
      as: b,
    });
    expect(m.status).toBe(422);
    await ledgerOk();
  });
});
