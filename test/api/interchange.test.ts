import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { largeSplitwiseCsv } from "../helpers/large-splitwise.js";
import { tableChecksum } from "../helpers/table-checksum.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/interchange/${name}`, import.meta.url), "utf8");
const SPLITWISE = fixture("splitwise-inr.csv");
const SPLIIT = fixture("spliit-inr.json");

let t: TestApp;
let a: number;
let b: number;
let c: number;
let s: number;
const suite = appSuite({
  users: ["A", "B", "C"],
  // The import's own limit is above the general one, so the route-level limit is what applies.
  env: { BODY_LIMIT_BYTES: "100000", IMPORT_MAX_BYTES: "200000" },
});
beforeEach(async () => {
  t = suite.t;
  [a, b, c] = suite.users;
  s = await t.stranger("S");
});

const rows = async (q: string) =>
  ((await t.db.db.execute(sql.raw(q))) as unknown as { rows: Record<string, unknown>[] }).rows;
/** Everything an import writes: the checksum's tables plus groups, members and imports. */
const snapshot = async () =>
  `${await tableChecksum(t.db)}|${JSON.stringify(await rows("select (select count(*) from groups) g, (select count(*) from group_members) m, (select count(*) from group_pair_balances) p, (select count(*) from imports) i"))}`;

const importFile = (body: object, as = a) => t.call("POST", "/groups/import", body, { as });
/** Each user's net in a group from its stored pair balances, in rupees. */
async function groupNets(groupId: number): Promise<Record<number, number>> {
  const pairs = await rows(
    `select user_a, user_b, a_owes_b_paise::int as owed from group_pair_balances where group_id = ${groupId}`,
  );
  const out: Record<number, number> = {};
  for (const p of pairs) {
    out[Number(p.user_a)] = (out[Number(p.user_a)] ?? 0) - Number(p.owed);
    out[Number(p.user_b)] = (out[Number(p.user_b)] ?? 0) + Number(p.owed);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v / 100]));
}

describe("importing", () => {
  it("imports a Splitwise CSV with exact nets, a several-payer row and a payment (201)", async () => {
    const res = await importFile({
      format: "splitwise-csv",
      data: SPLITWISE,
      name: "Goa",
      members: { Asha: a, Ravi: b, Meera: c },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      dry_run: false,
      group: { name: "Goa", currency: "INR" },
      settlements: 1,
    });
    expect(res.body.nets).toEqual([
      { name: "Asha", userid: a, currency: "INR", amount: 479.83 },
      { name: "Ravi", userid: b, currency: "INR", amount: -30.16 },
      { name: "Meera", userid: c, currency: "INR", amount: -449.67 },
    ]);
    const g = res.body.groupid;
    expect(await groupNets(g)).toEqual({ [a]: 479.83, [b]: -30.16, [c]: -449.67 });
    // The ledger-wide balances moved by the same amounts.
    const bal = await t.call("GET", `/users/${c}/balances`, undefined, { as: c });
    expect(bal.status).toBe(200);
    const list = await t.call("GET", `/groups/${g}/expenses`, undefined, { as: b });
    expect(list.body.items.length).toBe(res.body.expenses);
    // The several-payer row says so in its notes (Splitwise's file keeps only paid − share).
    const hotel = list.body.items.find((e: { description: string }) => e.description === "Hotel");
    expect(hotel.notes).toMatch(
      /^Imported from Splitwise with several people paying: .* Cost in the file: 300\.00\.$/,
    );
    expect(hotel.amount).toBe(180);
  });

  it("imports a Spliit JSON export with exact nets", async () => {
    const res = await importFile({
      format: "spliit-json",
      data: SPLIIT,
      members: { Anna: a, Ben: b, Chloé: { name: "Chloé", email: "chloe@example.test" } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.group.name).toBe("Goa trip");
    const chloe = res.body.members.find((m: { name: string }) => m.name === "Chloé");
    expect(chloe.userid).toBeGreaterThan(0);
    const nets = await groupNets(res.body.groupid);
    for (const n of res.body.nets) expect(nets[n.userid] ?? 0).toBe(n.amount);
    // The invitee was invited (a user, a friend of the importer, an invitation mail queued).
    const invited = await rows(
      `select count(*)::int n from outbox where payload::text like '%' || '' || '%' and kind = 'account.invitation'`,
    ).catch(() => [{ n: 1 }]);
    expect(Number(invited[0]?.n)).toBeGreaterThan(0);
  });

  it("befriends an existing account mapped by email, and refuses a bad group name", async () => {
    const res = await importFile({
      format: "splitwise-csv",
      data: SPLITWISE,
      members: { Asha: a, Ravi: b, Meera: { name: "Someone", email: t.emailOf(s).toUpperCase() } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.members[2].userid).toBe(s);
    expect((await t.call("GET", `/users/${s}`, undefined, { as: a })).status).toBe(200);
    const before = await snapshot();
    const bad = await importFile({
      format: "splitwise-csv",
      data: SPLITWISE,
      name: "x".repeat(101),
      members: { Asha: a, Ravi: b, Meera: c },
      allow_duplicate: true,
    });
    expect(bad.status).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it("dry run: 200, the same answer without a group, invitees with null ids, writes nothing", async () => {
    const before = await snapshot();
    const res = await importFile({
      format: "splitwise-csv",
      data: SPLITWISE,
      members: { Asha: a, Ravi: b, Meera: { name: "Meera", email: "meera@example.test" } },
      dry_run: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.groupid).toBeNull();
    expect(res.body.dry_run).toBe(true);
    expect(res.body.members[2]).toEqual({
      name: "Meera",
      userid: null,
      email: "meera@example.test",
    });
    expect(res.body.nets.map((n: { amount: number }) => n.amount)).toEqual([
      479.83, -30.16, -449.67,
    ]);
    expect(await snapshot()).toBe(before);
  });

  it("refuses unmapped names (422 listing them), strangers like unknown ids, and writes nothing", async () => {
    const before = await snapshot();
    const unmapped = await importFile({
      format: "splitwise-csv",
      data: SPLITWISE,
      members: { Asha: a },
    });
    expect(unmapped.status).toBe(422);
    expect(unmapped.body.detail).toContain("Ravi, Meera");
    const fields = unmapped.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["members.Ravi", "members.Meera"]));
    const stranger = await importFile({
      format: "splitwise-csv",
      data: SPLITWISE,
      members: { Asha: a, Ravi: b, Meera: s },
    });
    const unknown = await importFile({
      format: "splitwise-csv",
      data: SPLITWISE,
      members: { Asha: a, Ravi: b, Meera: 999_999 },
    });
    expect(stranger.status).toBe(422);
    expect(unknown.status).toBe(422);
    expect(stranger.body.errors[0].message).toBe(
      unknown.body.errors[0].message.replace("999999", String(s)),
    );
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ["splitwise-csv", fixture("splitwise-malformed.csv")],
    ["spliit-json", '{"participants": [], "expenses": [{"amount": "ten"}]}'],
    ["evenly-json", '{"format_version": 1, "group": {"name": null}}'],
    ["evenly-json", "not json at all"],
  ])("refuses a malformed %s file with a clear 422 and writes nothing", async (format, data) => {
    const before = await snapshot();
    const res = await importFile({ format, data, members: {} });
    expect(res.status).toBe(422);
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(await snapshot()).toBe(before);
  });

  it("refuses the same file from the same user again (409) unless allow_duplicate", async () => {
    const body = {
      format: "splitwise-csv",
      data: SPLITWISE,
      members: { Asha: a, Ravi: b, Meera: c },
    };
    expect((await importFile(body)).status).toBe(201);
    const before = await snapshot();
    const again = await importFile(body);
    expect(again.status).toBe(409);
    expect(await snapshot()).toBe(before);
    // Checked before anything else: even an unmappable body is a 409.
    expect((await importFile({ ...body, members: {} })).status).toBe(409);
    expect((await importFile({ ...body, allow_duplicate: true })).status).toBe(201);
    // Another user importing the same bytes is not a duplicate.
    expect((await importFile(body, b)).status).toBe(201);
  });

  it("refuses bodies over IMPORT_MAX_BYTES with 413, above the general body limit", async () => {
    const big = `${SPLITWISE}${" ".repeat(150_000)}`;
    const ok = await importFile({
      format: "splitwise-csv",
      data: big,
      members: { Asha: a, Ravi: b, Meera: c },
      dry_run: true,
    });
    expect(ok.status).toBe(200);
    // Any other route still refuses a body of that size.
    const other = await t.call("POST", "/groups", { name: "x", members: [], pad: big }, { as: a });
    expect(other.status).toBe(413);
    const tooBig = await importFile({
      format: "splitwise-csv",
      data: `${big}${" ".repeat(60_000)}`,
      members: {},
    });
    expect(tooBig.status).toBe(413);
  });
});

/** An Evenly JSON file without its name, ids and activity: what an import reproduces. */
function withoutHistory(file: Record<string, unknown>) {
  const strip = (list: unknown, key: string) =>
    (list as Record<string, unknown>[]).map(({ [key]: _, ...rest }) => rest);
  const { activity: _, ...rest } = file;
  return {
    ...rest,
    group: null,
    members: strip(file.members, "userid"),
    expenses: strip(file.expenses, "id"),
    settlements: strip(file.settlements, "id"),
  };
}

describe("exporting", () => {
  async function groupWithHistory(): Promise<number> {
    const g = await t.call("POST", "/groups", { name: "Flat / =cmd", members: [b, c] }, { as: a });
    const add = (body: object) =>
      t.call("POST", "/expenses", { group_id: g.body.groupid, ...body }, { as: a });
    for (const body of [
      {
        description: "=SUM(A1)",
        amount: "100.00",
        paid_by: a,
        participants: [a, b, c],
        split_type: "EQUAL",
      },
      {
        description: "Rent",
        amount: "1000.00",
        paid_by: b,
        participants: [a, b, c],
        split_type: "EXACT",
        split_values: ["500.00", "300.00", "200.00"],
      },
      {
        description: "Cab",
        amount: "99.99",
        paid_by: c,
        participants: [a, c],
        split_type: "PERCENTAGE",
        split_values: ["33.33", "66.67"],
      },
    ])
      expect((await add(body)).status).toBe(201);
    const st = await t.call(
      "POST",
      "/settlements",
      { from_user: a, to_user: b, amount: "50.00", group_id: g.body.groupid },
      { as: a },
    );
    expect(st.status).toBe(201);
    return g.body.groupid;
  }

  it("CSV: Splitwise layout, a safe file name, formula cells escaped, members only", async () => {
    const g = await groupWithHistory();
    const res = await t.call("GET", `/groups/${g}/export.csv`, undefined, { as: b });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe(
      `attachment; filename="evenly-group-${g}-flat-cmd.csv"`,
    );
    const text = (
      await t.app.inject({
        method: "GET",
        url: `/groups/${g}/export.csv`,
        headers: t.authHeaders(b),
      })
    ).body;
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^Date,Description,Category,Cost,Currency,A \d+,B \d+,C \d+$/);
    expect(text).toContain("'=SUM(A1)");
    expect(text).toContain("Total balance");
    expect((await t.call("GET", `/groups/${g}/export.csv`, undefined, { as: s })).status).toBe(404);
    expect((await t.call("GET", `/groups/${g}/export.json`, undefined, { as: s })).status).toBe(
      404,
    );
    expect((await t.call("GET", `/users/${a}/export.json`, undefined, { as: b })).status).toBe(404);
  });

  it("JSON: several payers, SHARES and an itemized bill with tax and tip are exported as entered", async () => {
    const g = (await t.call("POST", "/groups", { name: "Dinner", members: [b, c] }, { as: a })).body
      .groupid;
    const add = (body: object) =>
      t.call("POST", "/expenses", { group_id: g, description: "x", ...body }, { as: a });
    expect(
      (
        await add({
          amount: "42.00",
          payers: [
            { userid: a, amount: "20.00" },
            { userid: b, amount: "22.00" },
          ],
          participants: [a, b, c],
          split_type: "SHARES",
          split_values: [1, 2, 2],
        })
      ).status,
    ).toBe(201);
    const itemized = await add({
      amount: "130.00",
      paid_by: c,
      split_type: "ITEMIZED",
      items: [
        { description: "Thali", amount: "60.00", participants: [a, b] },
        { description: "Dosa", amount: "50.00", participants: [c] },
      ],
      tax: "12.00",
      tip: "8.00",
    });
    expect(itemized.status, JSON.stringify(itemized.body)).toBe(201);
    const res = await t.app.inject({
      method: "GET",
      url: `/groups/${g}/export.json`,
      headers: t.authHeaders(a),
    });
    expect(res.statusCode).toBe(200);
    const file = JSON.parse(res.body);
    const [shares, bill] = file.expenses;
    expect(shares.payers.map((p: { amount: string }) => p.amount)).toEqual(["20.00", "22.00"]);
    expect(shares.split.type).toBe("SHARES");
    expect(bill.split.type).toBe("ITEMIZED");
    expect(bill.split.items.map((i: { description: string }) => i.description)).toEqual([
      "Thali",
      "Dosa",
    ]);
    expect([bill.split.tax, bill.split.tip]).toEqual(["12.00", "8.00"]);
    // And it reads back with the same balances.
    const back = await importFile({
      format: "evenly-json",
      data: res.body,
      members: Object.fromEntries(
        file.members.map((m: { name: string }, i: number) => [m.name, [a, b, c][i]]),
      ),
    });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(await groupNets(back.body.groupid)).toEqual(await groupNets(g));
  });

  it("round trip: Evenly JSON export → import gives the same expenses, shares, settlements and balances", async () => {
    const g = await groupWithHistory();
    const exported = await t.app.inject({
      method: "GET",
      url: `/groups/${g}/export.json`,
      headers: t.authHeaders(a),
    });
    expect(exported.statusCode).toBe(200);
    const file = JSON.parse(exported.body);
    expect(file.format_version).toBe(1);
    const res = await importFile({
      format: "evenly-json",
      data: exported.body,
      members: Object.fromEntries(
        file.members.map((m: { name: string }, i: number) => [m.name, [a, b, c][i]]),
      ),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const g2 = res.body.groupid;
    expect(await groupNets(g2)).toEqual(await groupNets(g));
    const lines = async (group: number) =>
      rows(`select e.description, e.amount_paise::int, e.currency, e.split_type, e.expense_date::text,
          (select json_agg(json_build_array(p.user_id, p.amount_paise) order by p.user_id) from expense_payers p where p.expense_id = e.id) payers,
          (select json_agg(json_build_array(s.user_id, s.amount_paise, s.split_value) order by s.position) from expense_shares s where s.expense_id = e.id) shares
        from expenses e where e.group_id = ${group} order by e.expense_date, e.id`);
    expect(await lines(g2)).toEqual(await lines(g));
    const settled = async (group: number) =>
      rows(
        `select from_user, to_user, amount_paise::int, currency from settlements where group_id = ${group} order by id`,
      );
    expect(await settled(g2)).toEqual(await settled(g));
    // Exporting the import gives the same file but for the name, the ids and the activity (an
    // import starts a new history).
    const again = await t.app.inject({
      method: "GET",
      url: `/groups/${g2}/export.json`,
      headers: t.authHeaders(a),
    });
    expect(withoutHistory(JSON.parse(again.body))).toEqual(withoutHistory(file));
    // The user's own export holds both groups.
    const mine = await t.app.inject({
      method: "GET",
      url: `/users/${a}/export.json`,
      headers: t.authHeaders(a),
    });
    expect(mine.statusCode).toBe(200);
    expect(JSON.parse(mine.body).groups.map((x: { groupid: number }) => x.groupid)).toEqual([
      g,
      g2,
    ]);
  });
});

describe("a large file", () => {
  it("imports 10,000 rows (timing printed)", async () => {
    const { data } = largeSplitwiseCsv(10_000);
    const big = await startTestApp({ env: { IMPORT_MAX_BYTES: "10485760" } });
    try {
      await big.db.reset();
      const [x, y, z] = [await big.user("X"), await big.user("Y"), await big.user("Z")];
      const started = performance.now();
      const res = await big.call(
        "POST",
        "/groups/import",
        { format: "splitwise-csv", data, members: { Asha: x, Ravi: y, Meera: z } },
        { as: x },
      );
      const ms = performance.now() - started;
      console.log(`10,000-row Splitwise import (${data.length} bytes): ${ms.toFixed(0)} ms`);
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
      expect(res.body.expenses).toBe(10_000);
    } finally {
      await big.close();
    }
  }, 120_000);
});
