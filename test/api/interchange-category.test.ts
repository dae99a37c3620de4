import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";

// Categories and notes moving in and out: Splitwise's Category column and Spliit's category and
// notes are kept on import, the exports carry them (CSV: Category; JSON: category and note), and
// an Evenly JSON round trip keeps both.

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/interchange/${name}`, import.meta.url), "utf8");

let t: TestApp;
let a: number;
let b: number;
let c: number;
const suite = appSuite({ users: ["A", "B", "C"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c] = suite.users;
});

type Listed = { description: string; category: string | null; notes: string | null };
const importFile = (body: object) => t.call("POST", "/groups/import", body, { as: a });
const groupExpenses = async (g: number): Promise<Listed[]> =>
  (await t.call("GET", `/groups/${g}/expenses?limit=100`, undefined, { as: a })).body.items;
const exportOf = async (g: number, ext: "csv" | "json") =>
  (
    await t.app.inject({
      method: "GET",
      url: `/groups/${g}/export.${ext}`,
      headers: t.authHeaders(a),
    })
  ).body;
const byDescription = (list: Listed[]) =>
  Object.fromEntries(list.map((e) => [e.description, { category: e.category, notes: e.notes }]));

describe("importing categories and notes", () => {
  it("Splitwise CSV: each row's Category is kept (payments are settlements); no 'not kept' problem", async () => {
    const res = await importFile({
      format: "splitwise-csv",
      data: fixture("splitwise-inr.csv"),
      members: { Asha: a, Ravi: b, Meera: c },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.problems.join(" ")).not.toMatch(/categor/i);
    const kept = byDescription(await groupExpenses(res.body.groupid));
    expect(Object.keys(kept).sort()).toEqual([
      '=HYPERLINK("http://example.invalid","Groceries")',
      "Dinner",
      "Hotel",
      "Taxi",
    ]);
    expect(kept.Dinner).toEqual({ category: "Dining out", notes: null });
    expect(kept.Taxi?.category).toBe("Taxi");
    expect(kept['=HYPERLINK("http://example.invalid","Groceries")']?.category).toBe("Groceries");
    // The several-payer row's note says what the file lost (Coffee moved nothing: left out).
    expect(kept.Hotel?.category).toBe("Hotel");
    expect(kept.Hotel?.notes).toMatch(/^Imported from Splitwise with several people paying/);
  });

  it("Spliit JSON: the category's name and the notes are kept", async () => {
    const res = await importFile({
      format: "spliit-json",
      data: fixture("spliit-inr.json"),
      members: { Anna: a, Ben: b, Chloé: c },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.problems.join(" ")).not.toMatch(/categor/i);
    const kept = byDescription(await groupExpenses(res.body.groupid));
    expect(kept.Dinner).toEqual({ category: "Dining Out", notes: null });
    expect(kept.Flat).toEqual({ category: "Rent", notes: "two rooms" });
  });

  it("a file's overlong or unclean category and note are made fit, and the answer says so", async () => {
    const file = JSON.parse(fixture("spliit-inr.json"));
    file.expenses[0].category = { name: `Food\t${"x".repeat(60)}` };
    file.expenses[0].notes = `a\u0000b\r\n${"y".repeat(1200)}`;
    const res = await importFile({
      format: "spliit-json",
      data: JSON.stringify(file),
      members: { Anna: a, Ben: b, Chloé: c },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.problems).toContainEqual(
      expect.stringMatching(/^1 expense\(s\) have a category or note cut or cleaned to fit/),
    );
    const dinner = (await groupExpenses(res.body.groupid)).find((e) => e.description === "Dinner");
    expect([...(dinner?.category ?? "")]).toHaveLength(50);
    expect(dinner?.category).toMatch(/^Food x+…$/);
    expect([...(dinner?.notes ?? "")]).toHaveLength(1000);
    expect(dinner?.notes).toMatch(/^a b\ny+…$/);
  });
});

describe("exporting categories and notes", () => {
  async function groupWithCategories(): Promise<number> {
    const g = (await t.call("POST", "/groups", { name: "Flat", members: [b, c] }, { as: a })).body
      .groupid;
    const add = async (description: string, extra: object) => {
      const res = await t.call(
        "POST",
        "/expenses",
        {
          group_id: g,
          description,
          amount: "90.00",
          paid_by: a,
          participants: [a, b, c],
          split_type: "EQUAL",
          ...extra,
        },
        { as: a },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await add("Veg", { category: "Groceries", notes: "Market run\nwith Bela", date: "2026-01-01" });
    await add("Power", { date: "2026-01-02" });
    await add("Trap", { category: "=cmd|' /C calc'!A0", date: "2026-01-03" });
    const st = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "10.00", group_id: g },
      { as: a },
    );
    expect(st.status).toBe(201);
    return g;
  }

  it("CSV: Category holds the category (General without one, Payment for settlements), escaped", async () => {
    const g = await groupWithCategories();
    const lines = (await exportOf(g, "csv")).split("\n");
    const cells = (prefix: string) => lines.find((l) => l.includes(prefix))?.split(",") ?? [];
    expect(cells(",Veg,")[2]).toBe("Groceries");
    expect(cells(",Power,")[2]).toBe("General");
    // A formula in the category is a text cell, as in the other cells.
    expect(lines.find((l) => l.includes(",Trap,"))).toContain(",'=cmd|' /C calc'!A0,90.00,");
    expect(cells(" paid ")[2]).toBe("Payment");
  });

  it("JSON round trip: the export carries category and note, and importing it keeps both", async () => {
    const g = await groupWithCategories();
    const text = await exportOf(g, "json");
    const file = JSON.parse(text);
    expect(
      file.expenses.map((e: { category: string | null; note: string | null }) => [
        e.category,
        e.note,
      ]),
    ).toEqual([
      ["Groceries", "Market run\nwith Bela"],
      [null, null],
      ["=cmd|' /C calc'!A0", null],
    ]);
    const res = await importFile({
      format: "evenly-json",
      data: text,
      members: Object.fromEntries(
        file.members.map((m: { name: string }, i: number) => [m.name, [a, b, c][i]]),
      ),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.problems.join(" ")).not.toMatch(/categor|note/i);
    expect(byDescription(await groupExpenses(res.body.groupid))).toEqual(
      byDescription(await groupExpenses(g)),
    );
    const again = JSON.parse(await exportOf(res.body.groupid, "json"));
    expect(again.expenses.map((e: { note: string | null }) => e.note)).toEqual(
      file.expenses.map((e: { note: string | null }) => e.note),
    );
  });
});
