import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseJsonBody } from "../../src/http/json-body.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { tableChecksum } from "../helpers/table-checksum.js";

/**
 * A JSON escape such as `\ud800` names half of a UTF-16 surrogate pair: no Unicode text has one
 * alone, so UTF-8 (PostgreSQL's text) cannot hold it. A description with one used to reach the
 * outbox's jsonb and fail there (500, "invalid input syntax for type json"); in category, notes
 * and names it was stored as U+FFFD while the answer echoed the escape. The body parser refuses
 * it like any malformed JSON, whatever field carries it; a whole pair (an emoji) is text.
 */

let t: TestApp;
let a: number;
let b: number;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await t.db.reset();
  a = await t.user("Asha");
  b = await t.user("Bela");
});

const expense = (extra: Record<string, unknown>) => ({
  paid_by: a,
  amount: "10",
  split_type: "EQUAL",
  participants: [a, b],
  description: "Tea",
  ...extra,
});

describe("a lone surrogate in a JSON body", () => {
  it.each([
    ["description", { description: "Tea\ud800" }],
    ["category", { category: "\udc00Food" }],
    ["notes", { notes: "Paid\n\ud83d" }],
    ["a key", { "x\ud800": 1 }],
  ])("in %s → 400 malformed-request, nothing written", async (_where, extra) => {
    const before = await tableChecksum(t.db);
    const res = await t.call("POST", "/expenses", expense(extra), { as: a });
    expect(res.status).toBe(400);
    expect(res.body.type).toMatch(/malformed-request$/);
    expect(res.body.detail).toMatch(/lone surrogate/);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("in a group name, a friend's name or an import's mapping → the same 400", async () => {
    const before = await tableChecksum(t.db);
    for (const [url, body] of [
      ["/groups", { name: "Goa\ud800", members: [b] }],
      ["/friends", { email: "new@example.com", name: "Dev\udfff" }],
      ["/groups/import", { format: "splitwise-csv", data: "x", members: { "A\ud800": a } }],
    ] as const) {
      const res = await t.call("POST", url, body, { as: a });
      expect(res.status, url).toBe(400);
      expect(res.body.type, url).toMatch(/malformed-request$/);
    }
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("whole pairs, escaped or not, and an escaped backslash before 'ud800' are text", async () => {
    const res = await t.call(
      "POST",
      "/expenses",
      expense({ description: "Tea 😀", category: "\\ud800", notes: "🍵\n\ud83c\udf75" }),
      { as: a },
    );
    expect(res.status).toBe(201);
    expect(res.body.description).toBe("Tea 😀");
    expect(res.body.category).toBe("\\ud800");
    expect(res.body.notes).toBe("🍵\n🍵");
    expect(parseJsonBody('{"a":"\\ud83d\\ude00","b":"\\\\ud800"}')).toEqual({
      a: "😀",
      b: "\\ud800",
    });
    expect(() => parseJsonBody('["ok",{"k":["\\udc00"]}]')).toThrow(/lone surrogate/);
  });
});
