import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { tableChecksum } from "../helpers/table-checksum.js";

/**
 * An import writes the history that creating the group by hand would have: group.created (saying
 * it was imported, and from which format), then expense.created and settlement.created for each
 * imported thing, the importer as the actor, in the import's one transaction — and none at all
 * when it writes nothing (a dry run, a refusal, a failure after the rows were written).
 */
const SPLITWISE = readFileSync(
  new URL("../fixtures/interchange/splitwise-inr.csv", import.meta.url),
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

const importFile = (body: object, as = a) => t.call("POST", "/groups/import", body, { as });
const splitwise = (extra: object = {}) => ({
  format: "splitwise-csv",
  data: SPLITWISE,
  name: "Goa",
  members: { Asha: a, Ravi: b, Meera: c },
  ...extra,
});
const count = async (q: string) =>
  Number(
    (
      (await t.db.db.execute(sql.raw(`select count(*)::int as n from ${q}`))) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]?.n,
  );

describe("the activity an import writes", () => {
  it("group.created (imported from the format), then each expense and settlement, newest first", async () => {
    const res = await importFile(splitwise());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const g = res.body.groupid as number;
    const feed = await t.call("GET", `/groups/${g}/activity?limit=200`, undefined, { as: b });
    expect(feed.status).toBe(200);
    const items = [...feed.body.items].reverse(); // oldest first
    // The fixture: five expenses (one a several-payer row) and one payment, in file order.
    expect(items.map((i: { kind: string }) => i.kind)).toEqual([
      "group.created",
      ...Array(res.body.expenses).fill("expense.created"),
      "settlement.created",
    ]);
    expect(items[0]).toMatchObject({
      actor: a,
      groupid: g,
      expenseid: null,
      settlementid: null,
      changes: { imported_from: { from: null, to: "splitwise-csv" } },
    });
    for (const i of items) expect(i).toMatchObject({ actor: a, groupid: g });
    // Each entry names the imported thing, in the group's own order of ids.
    const expenses = await t.call("GET", `/groups/${g}/expenses?limit=100`, undefined, { as: b });
    const expenseIds = expenses.body.items.map((e: { expenseid: number }) => e.expenseid).sort();
    const logged = items
      .filter((i: { kind: string }) => i.kind === "expense.created")
      .map((i: { expenseid: number; changes: unknown }) => {
        expect(i.changes).toBeNull();
        return i.expenseid;
      });
    expect(logged).toEqual(expenseIds);
    const settlement = items.at(-1);
    expect(settlement.settlementid).toBeGreaterThan(0);
    expect(settlement.expenseid).toBeNull();
  });

  it("names its subjects as a hand-made entry would: the members, each expense's people, a payment's two", async () => {
    const res = await importFile(splitwise());
    const mine = await t.call("GET", `/users/${c}/activity?limit=200`, undefined, { as: c });
    const kinds = mine.body.items.map((i: { kind: string }) => i.kind);
    expect(kinds.at(-1)).toBe("group.created");
    expect(kinds.filter((k: string) => k === "expense.created").length).toBe(res.body.expenses);
    // Whom each entry is about (what a member keeps seeing after leaving the group).
    const subjects = async (where: string) =>
      (
        (await t.db.db.execute(
          sql.raw(`select array_agg(s.user_id order by s.user_id) as who from activity a
            join activity_subjects s on s.activity_id = a.id where ${where} group by a.id order by a.id`),
        )) as unknown as { rows: { who: number[] }[] }
      ).rows.map((r) => r.who);
    expect(await subjects("a.kind = 'group.created'")).toEqual([[a, b, c]]);
    expect(await subjects("a.kind = 'settlement.created'")).toEqual([[a, b]]); // Ravi paid Asha
    // An expense's: its payers and participants (and the importer), as POST /expenses records.
    const people = (
      (await t.db.db.execute(
        sql.raw(`select array_agg(distinct u order by u) as who from (
            select expense_id e, user_id u from expense_payers union all
            select expense_id, user_id from expense_shares union all
            select id, ${a} from expenses) x group by e order by e`),
      )) as unknown as { rows: { who: number[] }[] }
    ).rows.map((r) => r.who);
    expect(people.length).toBe(res.body.expenses);
    expect(await subjects("a.kind = 'expense.created'")).toEqual(people);
    expect(people).toContainEqual([a, b]); // Taxi: Meera's cell is 0.00, so she is not in it
  });

  it("an Evenly JSON import says its format, and does not replay the file's own history", async () => {
    const first = await importFile(splitwise());
    const file = await t.app.inject({
      method: "GET",
      url: `/groups/${first.body.groupid}/export.json`,
      headers: t.authHeaders(a),
    });
    const members = JSON.parse(file.body).members.map((m: { name: string; userid: number }) => [
      m.name,
      m.userid,
    ]);
    const again = await importFile({
      format: "evenly-json",
      data: file.body,
      members: Object.fromEntries(members),
    });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const feed = await t.call(
      "GET",
      `/groups/${again.body.groupid}/activity?limit=200`,
      undefined,
      {
        as: a,
      },
    );
    expect(feed.body.items.at(-1)).toMatchObject({
      kind: "group.created",
      changes: { imported_from: { from: null, to: "evenly-json" } },
    });
    // The exported file's own history is not replayed: one entry per imported thing only.
    expect(feed.body.items.length).toBe(1 + again.body.expenses + again.body.settlements);
  });

  it("a dry run writes no activity", async () => {
    const before = await count("activity");
    const res = await importFile(splitwise({ dry_run: true }));
    expect(res.status).toBe(200);
    expect(await count("activity")).toBe(before);
    expect(await count("activity_subjects")).toBe(0);
  });

  it("a file whose Total balance row disagrees is refused (422) and writes no activity", async () => {
    const before = await tableChecksum(t.db);
    const off = SPLITWISE.replace("479.83,-30.16,-449.67", "479.84,-30.17,-449.67");
    const res = await importFile(splitwise({ data: off }));
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.errors)).toContain("the Total balance row says 479.84");
    expect(await count("activity")).toBe(0);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("one person under two names (an id, and their email) is a 422 before anything is written", async () => {
    // Ravi by id and Meera by Ravi's email: one user cannot be two columns of the file (this
    // used to reach the database as a duplicate share: a 500).
    const before = await tableChecksum(t.db);
    for (const dry_run of [true, false]) {
      const res = await importFile(
        splitwise({
          members: { Asha: a, Ravi: b, Meera: { name: "Meera", email: t.emailOf(b) } },
          dry_run,
        }),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.errors).toEqual([
        { field: "members.Meera", message: "is the same person as Ravi" },
      ]);
    }
    expect(await count("groups")).toBe(0);
    expect(await tableChecksum(t.db)).toBe(before);
  });
});

describe("on the embedded database (PGlite)", () => {
  it("writes the same entries", async () => {
    const p = await startTestApp({ engine: "pglite" });
    try {
      const [x, y, z] = [await p.user("X"), await p.user("Y"), await p.user("Z")];
      const res = await p.call(
        "POST",
        "/groups/import",
        splitwise({ members: { Asha: x, Ravi: y, Meera: z } }),
        { as: x },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const feed = await p.call("GET", `/groups/${res.body.groupid}/activity`, undefined, {
        as: z,
      });
      expect(feed.body.items.length).toBe(1 + res.body.expenses + res.body.settlements);
      expect(feed.body.items.at(-1).changes).toEqual({
        imported_from: { from: null, to: "splitwise-csv" },
      });
    } finally {
      await p.close();
    }
  });
});
