import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { tableChecksum } from "../helpers/table-checksum.js";

// The export and import contract of the currencies-and-interchange issue, checked from outside.

let t: TestApp;
let a: number;
let b: number;
let c: number;
let d: number;
const suite = appSuite({ users: ["A", "B", "C", "D"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c, d] = suite.users;
});

const rows = async (q: string) =>
  ((await t.db.db.execute(sql.raw(q))) as unknown as { rows: Record<string, unknown>[] }).rows;
const snapshot = async () =>
  `${await tableChecksum(t.db)}|${JSON.stringify(await rows("select (select count(*) from groups) g, (select count(*) from group_members) m, (select count(*) from imports) i"))}`;
const importFile = (body: object, as = a) => t.call("POST", "/groups/import", body, { as });
const download = async (url: string, as: number) =>
  (await t.app.inject({ method: "GET", url, headers: t.authHeaders(as) })).body;

/** Each member's nets in a group as GET /groups/{id}/balances gives them, by user id. */
async function netsOf(groupId: number, as: number): Promise<Record<number, unknown>> {
  const res = await t.call("GET", `/groups/${groupId}/balances`, undefined, { as });
  expect(res.status).toBe(200);
  return Object.fromEntries(
    res.body.members
      .filter((m: { nets: unknown[] }) => m.nets.length > 0)
      .map((m: { userid: number; nets: unknown }) => [m.userid, m.nets]),
  );
}

describe("the Splitwise CSV export", () => {
  /** Names a spreadsheet would run, names that are numbers, and a description like a totals row. */
  async function hostileGroup(): Promise<number> {
    const names: [number, string][] = [
      [a, "=Eve"],
      [b, "-5"],
      [c, "12"],
      [d, "Zoë @home"],
    ];
    for (const [id, name] of names)
      await t.db.db.execute(sql`update users set name = ${name} where id = ${id}`);
    const g = (await t.call("POST", "/groups", { name: "Trip", members: [b, c, d] }, { as: a }))
      .body.groupid;
    const add = async (body: object) => {
      const res = await t.call("POST", "/expenses", { group_id: g, ...body }, { as: a });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    const equal = { split_type: "EQUAL" };
    await add({
      description: "-5",
      amount: "100.00",
      paid_by: a,
      participants: [a, b, c],
      ...equal,
    });
    await add({
      description: "Total balance",
      amount: "30.00",
      paid_by: b,
      participants: [a, b],
      ...equal,
    });
    await add({
      description: "+tip",
      amount: "10.00",
      currency: "USD",
      paid_by: c,
      participants: [a, c],
      ...equal,
    });
    await add({
      description: "@home",
      amount: 1000,
      currency: "JPY",
      exchange_rate: "0.55",
      paid_by: a,
      participants: [a, d],
      ...equal,
    });
    await add({
      description: "Cab",
      amount: "20.00",
      payers: [
        { userid: a, amount: "5.00" },
        { userid: b, amount: "15.00" },
      ],
      participants: [c, d],
      ...equal,
    });
    for (const [from, to, amount, currency] of [
      [b, a, "10.00", "INR"],
      [a, c, "5.00", "USD"],
    ] as const) {
      const res = await t.call(
        "POST",
        "/settlements",
        { group_id: g, from_user: from, to_user: to, amount, currency },
        { as: from },
      );
      expect(res.status).toBe(201);
    }
    return g;
  }

  it("has the layout: escaped header, rows adding up to 0, Payment rows, a blank row, totals per currency", async () => {
    const g = await hostileGroup();
    const text = await download(`/groups/${g}/export.csv`, b);
    const lines = text.split("\n");
    // `'` before a formula start; a name that is a plain negative number stays a number.
    expect(lines[0]).toBe("Date,Description,Category,Cost,Currency,'=Eve,-5,12,Zoë @home");
    const records = parse(text, { relax_column_count: true }) as string[][];
    const body = records.slice(1);
    const blank = body.findIndex((r) => r.length === 1 && r[0] === "");
    expect(blank).toBe(7); // 5 expenses and 2 settlements, then the separator
    const cents = (s: string) => Math.round(Number(s) * 100);
    for (const r of body.slice(0, blank)) {
      expect(r).toHaveLength(9);
      expect(
        r.slice(5).reduce((s, x) => s + cents(x), 0),
        r.join(","),
      ).toBe(0);
    }
    expect(body.slice(0, blank).map((r) => [r[1], r[2], r[4]])).toEqual([
      ["-5", "General", "INR"],
      ["Total balance", "General", "INR"],
      ["'+tip", "General", "USD"],
      ["'@home", "General", "INR"],
      ["Cab", "General", "INR"],
      ["'-5 paid =Eve", "Payment", "INR"],
      ["'=Eve paid 12", "Payment", "USD"],
    ]);
    const totals = body.slice(blank + 1);
    expect(totals.map((r) => [r[1], r[3], r[4]])).toEqual([
      ["Total balance", "", "INR"],
      ["Total balance", "", "USD"],
    ]);
    // The totals are the group's nets per currency.
    const nets = await netsOf(g, a);
    totals.forEach((r) => {
      [a, b, c, d].forEach((id, i) => {
        const net = ((nets[id] ?? []) as { currency: string; amount: number }[]).find(
          (n) => n.currency === r[4],
        );
        expect(cents(r[5 + i] as string), `${r[4]} ${id}`).toBe(
          Math.round((net?.amount ?? 0) * 100),
        );
      });
    });
  });

  it("reads back: an expense described 'Total balance' is an expense, not a second totals row", async () => {
    const g = await hostileGroup();
    const text = await download(`/groups/${g}/export.csv`, a);
    const res = await importFile({
      format: "splitwise-csv",
      data: text,
      members: { "=Eve": a, "-5": b, "12": c, "Zoë @home": d },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ expenses: 5, settlements: 2 });
    expect(await netsOf(res.body.groupid, a)).toEqual(await netsOf(g, a));
  });
});

const evenlyFile = (names: string[]) =>
  JSON.stringify({
    format_version: 1,
    group: { name: "Hand-written", currency: "INR" },
    members: names.map((name) => ({ name, email: null })),
    expenses: [
      {
        date: "2024-01-01",
        description: "Dinner",
        category: null,
        note: null,
        currency: "INR",
        amount: "10.00",
        payers: [{ member: names[0], amount: "10.00" }],
        shares: names.slice(0, 2).map((member) => ({ member, amount: "5.00" })),
        split: { type: "EQUAL", values: null, items: null, tax: "0.00", tip: "0.00" },
        original: null,
      },
    ],
    settlements: [],
  });

describe("member names as the file writes them", () => {
  it("an Evenly JSON name with spaces around it maps under that name, as in the other formats", async () => {
    const res = await importFile({
      format: "evenly-json",
      data: evenlyFile([" Asha ", "Ravi"]),
      members: { " Asha ": a, Ravi: b },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.members.map((m: { name: string }) => m.name)).toEqual(["Asha", "Ravi"]);
    expect(res.body.nets.map((n: { amount: number }) => n.amount)).toEqual([5, -5]);
  });

  it("two names that differ only in surrounding spaces are one name twice: 422, nothing written", async () => {
    const before = await snapshot();
    const res = await importFile({
      format: "evenly-json",
      data: evenlyFile(["Asha", "Asha "]),
      members: { Asha: a },
      dry_run: true,
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual({ field: "members[1].name", message: "repeats Asha" });
    expect(await snapshot()).toBe(before);
  });
});

describe("a dry run's people", () => {
  it("someone with an account, mapped by email, has their user id; only who would be invited has null", async () => {
    const s = await t.stranger("Sam");
    const body = {
      format: "evenly-json",
      data: evenlyFile(["Asha", "Ravi", "Meera"]),
      members: {
        Asha: a,
        Ravi: { name: "Ravi", email: t.emailOf(s) },
        Meera: { name: "Meera", email: "meera@example.test" },
      },
    };
    const before = await snapshot();
    const dry = await importFile({ ...body, dry_run: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.members.map((m: { userid: number | null }) => m.userid)).toEqual([a, s, null]);
    expect(await snapshot()).toBe(before);
    const real = await importFile(body);
    expect(real.status).toBe(201);
    expect(real.body.members[1].userid).toBe(s);
    expect(real.body.members[2].userid).toEqual(expect.any(Number));
  });
});

describe("the same file sent twice at once", () => {
  it("imports it once: the others are 409", async () => {
    const body = {
      format: "evenly-json",
      data: evenlyFile(["Asha", "Ravi"]),
      members: { Asha: a, Ravi: b },
    };
    const answers = await Promise.all([1, 2, 3, 4].map(() => importFile(body)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await rows("select count(*)::int n from imports")).toEqual([{ n: 1 }]);
    expect(await rows("select count(*)::int n from groups")).toEqual([{ n: 1 }]);
    // Asked for, it is imported again.
    expect((await importFile({ ...body, allow_duplicate: true })).status).toBe(201);
  });
});
