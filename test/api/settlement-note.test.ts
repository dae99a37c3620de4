import { beforeEach, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { tableChecksum } from "../helpers/table-checksum.js";

// A settlement's optional note through the API: kept and returned on every read, checked like an
// expense's notes (400 for control characters other than line breaks and for length, listed with
// the other fields' problems), nothing written when refused.

let t: TestApp;
let a: number;
let b: number;
const suite = appSuite({ users: ["A", "B"] });
beforeEach(() => {
  t = suite.t;
  [a, b] = suite.users;
});

const settle = (over: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  t.call(
    "POST",
    "/settlements",
    { from_user: b, to_user: a, amount: "20.00", ...over },
    { as: a, headers },
  );

type Problem = { errors: { field: string; message: string }[] };
const fields = (body: unknown) => (body as Problem).errors.map((e) => e.field).sort();
const messageOf = (body: unknown, field: string) =>
  (body as Problem).errors.find((e) => e.field === field)?.message;

describe("a settlement's note", () => {
  it("is kept and returned on create, read and both lists; null when absent or blank", async () => {
    const made = await settle({ note: "  Cash at the airport\r\n<b>no</b> receipt \n" });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // Trimmed; a textarea's CR LF kept as a line feed; text as typed (the pages escape it).
    expect(made.body.note).toBe("Cash at the airport\n<b>no</b> receipt");
    const got = await t.call("GET", `/settlements/${made.body.settlementid}`, undefined, { as: b });
    expect(got.body).toEqual(made.body);
    for (const none of [{}, { note: null }, { note: "" }, { note: " \r\n " }]) {
      const plain = await settle(none);
      expect(plain.status, JSON.stringify(none)).toBe(201);
      expect(plain.body.note).toBeNull();
    }
    const list = await t.call("GET", `/users/${b}/settlements`, undefined, { as: b });
    expect(list.body.items.map((s: { note: string | null }) => s.note)).toEqual([
      null,
      null,
      null,
      null,
      "Cash at the airport\n<b>no</b> receipt",
    ]);
    // A group's settlements carry it too.
    const g = (await t.call("POST", "/groups", { name: "Flat", members: [b] }, { as: a })).body
      .groupid;
    expect((await settle({ group_id: g, note: "rent share" })).status).toBe(201);
    const inGroup = await t.call("GET", `/groups/${g}/settlements`, undefined, { as: b });
    expect(inGroup.body.items).toEqual([expect.objectContaining({ note: "rent share" })]);
  });

  it("1000 characters are fine; 1001 is a 400 naming the note, listed with the amount's problem; nothing written", async () => {
    const ok = await settle({ note: `${"n".repeat(499)}\n${"é".repeat(500)}` });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect([...ok.body.note]).toHaveLength(1000);
    const before = await tableChecksum(t.db);
    const long = await settle({ note: "n".repeat(1001) });
    expect(long.status).toBe(400);
    expect(fields(long.body)).toEqual(["note"]);
    expect(messageOf(long.body, "note")).toBe("must be at most 1000 characters");
    const both = await settle({ note: "n".repeat(1001), amount: "1.999" });
    expect(both.status).toBe(400);
    expect(fields(both.body)).toEqual(["amount", "note"]);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("only line breaks: NUL, tab and other control characters are a 400; nothing written", async () => {
    const before = await tableChecksum(t.db);
    for (const note of ["a\u0000b", "a\tb", "\u0007", "a\u0085b", "a\u2028b", "a\u007fb"]) {
      const res = await settle({ note });
      expect(res.status, JSON.stringify(note)).toBe(400);
      expect(fields(res.body)).toEqual(["note"]);
      expect(messageOf(res.body, "note")).toBe(
        "must not contain control characters other than line breaks",
      );
    }
    const wrongType = await settle({ note: 5 });
    expect(wrongType.status).toBe(400);
    expect(fields(wrongType.body)).toEqual(["note"]);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("is part of an idempotent request: the same key with another note is refused", async () => {
    const key = { "idempotency-key": "settle-note-1" };
    const first = await settle({ note: "first" }, key);
    expect(first.status).toBe(201);
    const again = await settle({ note: "first" }, key);
    expect(again.body).toEqual(first.body);
    const other = await settle({ note: "second" }, key);
    expect(other.status).toBe(422);
    const list = await t.call("GET", `/users/${a}/settlements`, undefined, { as: a });
    expect(list.body.items.map((s: { note: string | null }) => s.note)).toEqual(["first"]);
  });

  it("the OpenAPI document describes it, in and out", async () => {
    const doc = (await t.call("GET", "/openapi.json")).body;
    const schemas = doc.components.schemas;
    const ref: string =
      doc.paths["/settlements"].post.requestBody.content["application/json"].schema.$ref;
    const input = schemas[ref.split("/").pop() as string];
    expect(input.properties.note.anyOf).toContainEqual({ type: "string", maxLength: 1000 });
    expect(input.required).not.toContain("note");
    expect(schemas.Settlement.required).toContain("note");
  });
});
