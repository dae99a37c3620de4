import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyLedger } from "../../src/services/ledger.js";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { tableChecksum } from "../helpers/table-checksum.js";

// Import and export in several currencies: every row keeps its currency, nets are checked per
// currency against the file's Total balance rows, and a round trip keeps booked expenses.
const TWO_CURRENCIES = readFileSync(
  new URL("../fixtures/interchange/splitwise-two-currencies.csv", import.meta.url),
  "utf8",
);

let t: TestApp;
let a: number;
let b: number;
let c: number;
const suite = appSuite({ users: ["A", "B", "C"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c] = suite.users;
});

const rows = async (q: string) =>
  ((await t.db.db.execute(sql.raw(q))) as unknown as { rows: Record<string, unknown>[] }).rows;
const snapshot = async () =>
  `${await tableChecksum(t.db)}|${JSON.stringify(await rows("select (select count(*) from groups) g, (select count(*) from group_members) m, (select count(*) from group_pair_balances) p, (select count(*) from imports) i"))}`;
const importFile = (body: object, as = a) => t.call("POST", "/groups/import", body, { as });

/** Each user's net in a group per currency from its stored pair balances (minor units). */
async function groupNets(groupId: number): Promise<Record<string, Record<number, number>>> {
  const pairs = await rows(
    `select user_a, user_b, currency, a_owes_b_paise::int as owed from group_pair_balances
      where group_id = ${groupId} and a_owes_b_paise <> 0`,
  );
  const out: Record<string, Record<number, number>> = {};
  for (const p of pairs) {
    const m = out[String(p.currency)] ?? {};
    out[String(p.currency)] = m;
    m[Number(p.user_a)] = (m[Number(p.user_a)] ?? 0) - Number(p.owed);
    m[Number(p.user_b)] = (m[Number(p.user_b)] ?? 0) + Number(p.owed);
  }
  return out;
}

describe("a two-currency Splitwise file", () => {
  it("imports every row in its currency: nets per currency equal the Total balance rows", async () => {
    const res = await importFile({
      format: "splitwise-csv",
      data: TWO_CURRENCIES,
      name: "Goa",
      members: { Asha: a, Ravi: b, Meera: c },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // INR has three rows, USD two: the group's currency is INR (the most rows').
    expect(res.body).toMatchObject({ group: { name: "Goa", currency: "INR" }, settlements: 1 });
    expect(res.body.nets).toEqual([
      { name: "Asha", userid: a, currency: "INR", amount: 375 },
      { name: "Ravi", userid: b, currency: "INR", amount: -75 },
      { name: "Meera", userid: c, currency: "INR", amount: -300 },
      { name: "Asha", userid: a, currency: "USD", amount: 104.83 },
      { name: "Ravi", userid: b, currency: "USD", amount: 44.84 },
      { name: "Meera", userid: c, currency: "USD", amount: -149.67 },
    ]);
    const g = res.body.groupid;
    // The file's Total balance rows, to the paisa / cent, in the stored group balances.
    expect(await groupNets(g)).toEqual({
      INR: { [a]: 37500, [b]: -7500, [c]: -30000 },
      USD: { [a]: 10483, [b]: 4484, [c]: -14967 },
    });
    const group = await t.call("GET", `/groups/${g}`, undefined, { as: b });
    expect(group.body.currency).toBe("INR");
    const bal = await t.call("GET", `/groups/${g}/balances?simplify=false`, undefined, { as: a });
    expect(bal.status).toBe(200);
    expect(new Set(bal.body.balances.map((x: { currency: string }) => x.currency))).toEqual(
      new Set(["INR", "USD"]),
    );
    const list = await t.call("GET", `/groups/${g}/expenses`, undefined, { as: b });
    const hotel = list.body.items.find((e: { description: string }) =>
      e.description.startsWith("Hotel"),
    );
    expect(hotel).toMatchObject({ currency: "USD", amount: 180 });
    const settlements = await rows(`select currency from settlements where group_id = ${g}`);
    expect(settlements).toEqual([{ currency: "INR" }]);
    // Exported again: one Total balance row per currency, equal to the file's.
    const csv = await t.call("GET", `/groups/${g}/export.csv`, undefined, { as: a });
    expect(csv.body).toContain("Total balance,,,INR,375.00,-75.00,-300.00");
    expect(csv.body).toContain("Total balance,,,USD,104.83,44.84,-149.67");
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });

  it("refuses a file whose INR totals disagree (422 listing the rows), writing nothing", async () => {
    const before = await snapshot();
    const data = TWO_CURRENCIES.replace(
      "Total balance, , ,INR,375.00,-75.00,-300.00",
      "Total balance, , ,INR,375.01,-75.01,-300.00",
    );
    const res = await importFile({ format: "splitwise-csv", data, members: {} });
    expect(res.status).toBe(422);
    const messages = res.body.errors.map((e: { message: string }) => e.message).join("\n");
    expect(messages).toContain("Asha");
    expect(messages).toContain("Ravi");
    expect(messages).toContain("INR");
    expect(messages).not.toContain("Meera");
    expect(await snapshot()).toBe(before);
  });

  it("refuses a JPY row with decimals (422 naming the line), writing nothing", async () => {
    const before = await snapshot();
    const data = [
      "Date,Description,Category,Cost,Currency,Asha,Ravi",
      "2024-03-01,Ramen,Dining out,1500.50,JPY,750.25,-750.25",
      "",
      "2024-03-01,Total balance, , ,JPY,750.25,-750.25",
    ].join("\n");
    const res = await importFile({ format: "splitwise-csv", data, members: { Asha: a, Ravi: b } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.errors)).toContain("line 2");
    expect(JSON.stringify(res.body.errors)).toContain("JPY");
    expect(await snapshot()).toBe(before);
  });

  it("takes the group's currency from the most rows: USD here", async () => {
    const data = [
      "Date,Description,Category,Cost,Currency,Asha,Ravi",
      "2024-03-01,Ramen,Dining out,1500,JPY,750,-750",
      "2024-03-02,Taxi,Taxi,20.00,USD,10.00,-10.00",
      "2024-03-03,Lunch,Dining out,30.00,USD,15.00,-15.00",
      "",
      "2024-03-03,Total balance, , ,JPY,750,-750",
      "2024-03-03,Total balance, , ,USD,25.00,-25.00",
    ].join("\n");
    const res = await importFile({
      format: "splitwise-csv",
      data,
      members: { Asha: a, Ravi: b },
      dry_run: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.group.currency).toBe("USD");
    expect(res.body.nets).toContainEqual({ name: "Asha", userid: a, currency: "JPY", amount: 750 });
  });
});

describe("a Spliit export in EUR", () => {
  it("takes the group's currency and keeps the yen original with its conversion rate", async () => {
    const data = readFileSync(
      new URL("../fixtures/interchange/spliit-export.json", import.meta.url),
      "utf8",
    );
    const res = await importFile({
      format: "spliit-json",
      data,
      members: { Anna: a, Ben: b, Chloé: c },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.group).toEqual({ name: "Lisbon trip", currency: "EUR" });
    expect(new Set(res.body.nets.map((n: { currency: string }) => n.currency))).toEqual(
      new Set(["EUR"]),
    );
    const g = res.body.groupid;
    expect((await t.call("GET", `/groups/${g}`, undefined, { as: a })).body.currency).toBe("EUR");
    const list = await t.call("GET", `/groups/${g}/expenses`, undefined, { as: a });
    const sushi = list.body.items.find((e: { description: string }) =>
      e.description.startsWith("Sushi"),
    );
    expect(sushi).toMatchObject({
      amount: 91.5,
      currency: "EUR",
      original_amount: 15000,
      original_currency: "JPY",
      exchange_rate: "0.0061",
    });
    const settled = await rows(`select currency from settlements where group_id = ${g}`);
    expect(settled.every((r) => r.currency === "EUR")).toBe(true);
  });
});

describe("the evenly-json round trip in two currencies", () => {
  it("keeps expenses, booked originals, shares, settlements and balances per currency", async () => {
    const created = await t.call(
      "POST",
      "/groups",
      { name: "Trip", members: [b, c], currency: "INR" },
      { as: a },
    );
    expect(created.status).toBe(201);
    const g = created.body.groupid;
    const expense = (body: object) =>
      t.call(
        "POST",
        "/expenses",
        { split_type: "EQUAL", paid_by: a, participants: [a, b, c], group_id: g, ...body },
        { as: a },
      );
    for (const body of [
      { description: "Dinner", amount: "900.00" },
      { description: "Museum", amount: "45.50", currency: "USD" },
      { description: "Hotel", amount: "100.00", currency: "USD", exchange_rate: "83.125" },
    ]) {
      const res = await expense(body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const paid = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "10.00", currency: "USD", group_id: g },
      { as: b },
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);

    const exported = await t.app.inject({
      method: "GET",
      url: `/groups/${g}/export.json`,
      headers: t.authHeaders(a),
    });
    expect(exported.statusCode).toBe(200);
    const file = JSON.parse(exported.body);
    expect(file.group.currency).toBe("INR");
    const hotelInFile = file.expenses.find(
      (e: { description: string }) => e.description === "Hotel",
    );
    expect(hotelInFile).toMatchObject({
      currency: "INR",
      amount: "8312.50",
      original: { amount: "100.00", currency: "USD", rate: "83.125" },
    });
    const byEmail = new Map([a, b, c].map((u) => [t.emailOf(u), u]));
    const members = Object.fromEntries(
      file.members.map((m: { name: string; email: string }) => [m.name, byEmail.get(m.email)]),
    );
    const again = await importFile({ format: "evenly-json", data: exported.body, members });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const h = again.body.groupid;
    expect(again.body.group.currency).toBe("INR");

    const expensesOf = async (group: number) =>
      rows(`select e.description, e.amount_paise::int, e.currency, e.original_amount::int,
              e.original_currency, e.exchange_rate::text, e.split_type,
              (select json_agg(json_build_array(s.user_id, s.amount_paise::int) order by s.position)
                 from expense_shares s where s.expense_id = e.id) shares,
              (select json_agg(json_build_array(p.user_id, p.amount_paise::int) order by p.user_id)
                 from expense_payers p where p.expense_id = e.id) payers
            from expenses e where e.group_id = ${group} order by e.id`);
    const settlementsOf = (group: number) =>
      rows(`select from_user, to_user, amount_paise::int, currency from settlements
            where group_id = ${group} order by id`);
    expect(await expensesOf(h)).toEqual(await expensesOf(g));
    expect(await settlementsOf(h)).toEqual(await settlementsOf(g));
    const nets = await groupNets(g);
    expect(Object.keys(nets).sort()).toEqual(["INR", "USD"]);
    expect(await groupNets(h)).toEqual(nets);
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });
});
