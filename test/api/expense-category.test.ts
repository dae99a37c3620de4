import { beforeEach, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { tableChecksum } from "../helpers/table-checksum.js";

// An expense's optional category and notes through the API: kept, returned, validated like the
// description (400 for control characters and length, listed with the other fields' problems),
// and an edit's changes recorded in its activity entry.

let t: TestApp;
let a: number;
let b: number;
const suite = appSuite({ users: ["A", "B"] });
beforeEach(() => {
  t = suite.t;
  [a, b] = suite.users;
});

const expense = (over: Record<string, unknown> = {}) => ({
  paid_by: a,
  amount: "100.00",
  split_type: "EQUAL",
  participants: [a, b],
  description: "Dinner",
  ...over,
});

type Problem = { errors: { field: string; message: string }[] };
const fields = (body: unknown) => (body as Problem).errors.map((e) => e.field).sort();
const messageOf = (body: unknown, field: string) =>
  (body as Problem).errors.find((e) => e.field === field)?.message;

describe("category and notes", () => {
  it("are kept and returned on create, read and list; null when absent", async () => {
    const made = await t.call(
      "POST",
      "/expenses",
      expense({ category: "  Groceries ", notes: "Paid in cash.\r\nReceipt in the drawer.\n" }),
      { as: a },
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // Trimmed; a textarea's CR LF kept as a line feed.
    expect(made.body).toMatchObject({
      category: "Groceries",
      notes: "Paid in cash.\nReceipt in the drawer.",
    });
    const got = await t.call("GET", `/expenses/${made.body.expenseid}`, undefined, { as: b });
    expect(got.body).toEqual(made.body);
    const plain = await t.call("POST", "/expenses", expense({ category: "", notes: null }), {
      as: a,
    });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ category: null, notes: null });
    const none = await t.call("POST", "/expenses", expense(), { as: a });
    expect(none.body).toMatchObject({ category: null, notes: null });
    const list = await t.call("GET", `/users/${b}/expenses`, undefined, { as: b });
    expect(list.body.items.map((e: { category: string | null }) => e.category)).toEqual([
      null,
      null,
      "Groceries",
    ]);
    expect(list.body.items[2].notes).toBe("Paid in cash.\nReceipt in the drawer.");
  });

  it("exactly 50 and 1000 characters are fine; one more is a 400 naming the field, nothing written", async () => {
    const ok = await t.call(
      "POST",
      "/expenses",
      expense({ category: "c".repeat(50), notes: `${"n".repeat(499)}\n${"n".repeat(500)}` }),
      { as: a },
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const before = await tableChecksum(t.db);
    const long = await t.call(
      "POST",
      "/expenses",
      expense({ category: "c".repeat(51), notes: "n".repeat(1001) }),
      { as: a },
    );
    expect(long.status).toBe(400);
    expect(fields(long.body)).toEqual(["category", "notes"]);
    expect(messageOf(long.body, "category")).toBe("must be at most 50 characters");
    expect(messageOf(long.body, "notes")).toBe("must be at most 1000 characters");
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("control characters: none in a category, only line breaks in notes (NUL, tab refused)", async () => {
    const before = await tableChecksum(t.db);
    for (const [category, notes, bad] of [
      ["Food\u0000", undefined, "category"],
      ["Food\nand drink", undefined, "category"],
      ["\t", undefined, "category"],
      [undefined, "a\u0000b", "notes"],
      [undefined, "a\tb", "notes"],
      [undefined, "a\u0085b", "notes"],
      [undefined, "a\u2028b", "notes"],
    ] as const) {
      const res = await t.call("POST", "/expenses", expense({ category, notes }), { as: a });
      expect(res.status, JSON.stringify({ category, notes })).toBe(400);
      expect(fields(res.body)).toEqual([bad]);
      expect(messageOf(res.body, bad)).toBe(
        bad === "category"
          ? "must be a single line without control characters"
          : "must not contain control characters other than line breaks",
      );
    }
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("a bad category joins the other fields' problems, as a bad description does (400)", async () => {
    const res = await t.call(
      "POST",
      "/expenses",
      expense({ category: "x\u0000", amount: "1.999", participants: [a, b, b] }),
      { as: a },
    );
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["amount", "category", "participants"]);
    expect(messageOf(res.body, "category")).toBe(
      "must be a single line without control characters",
    );
    const wrongType = await t.call("POST", "/expenses", expense({ notes: 5 }), { as: a });
    expect(wrongType.status).toBe(400);
    expect(fields(wrongType.body)).toEqual(["notes"]);
  });

  it("PUT replaces them (leaving them out clears them) and the activity entry records the change", async () => {
    const made = await t.call("POST", "/expenses", expense({ category: "Food", notes: "old" }), {
      as: a,
    });
    const id = made.body.expenseid;
    const put = await t.call(
      "PUT",
      `/expenses/${id}`,
      expense({ category: "Dining out", notes: "line 1\nline 2" }),
      { as: a },
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ category: "Dining out", notes: "line 1\nline 2" });
    const cleared = await t.call("PUT", `/expenses/${id}`, expense(), { as: a });
    expect(cleared.body).toMatchObject({ category: null, notes: null });
    const feed = await t.call("GET", `/users/${a}/activity`, undefined, { as: a });
    const edits = feed.body.items.filter((x: { kind: string }) => x.kind === "expense.updated");
    expect(edits.map((x: { changes: unknown }) => x.changes)).toEqual([
      { category: { from: "Dining out", to: null }, notes: { from: "line 1\nline 2", to: null } },
      {
        category: { from: "Food", to: "Dining out" },
        notes: { from: "old", to: "line 1\nline 2" },
      },
    ]);
    // Saved unchanged: no change recorded for them.
    await t.call("PUT", `/expenses/${id}`, expense({ amount: "90" }), { as: a });
    const last = (await t.call("GET", `/users/${a}/activity`, undefined, { as: a })).body.items[0];
    expect(Object.keys(last.changes)).not.toContain("category");
    expect(Object.keys(last.changes)).not.toContain("notes");
  });

  it("the OpenAPI document describes both, in and out", async () => {
    const doc = (await t.call("GET", "/openapi.json")).body;
    const schemas = doc.components.schemas;
    const ref: string =
      doc.paths["/expenses"].post.requestBody.content["application/json"].schema.$ref;
    const input = schemas[ref.split("/").pop() as string];
    expect(input.properties.category.anyOf).toContainEqual({ type: "string", maxLength: 50 });
    expect(input.properties.notes.anyOf).toContainEqual({ type: "string", maxLength: 1000 });
    expect(input.required).not.toContain("category");
    expect(input.required).not.toContain("notes");
    expect(schemas.Expense.required).toEqual(expect.arrayContaining(["category", "notes"]));
  });
});
