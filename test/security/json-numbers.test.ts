import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/http/idempotency.js";
import { parseJsonBody } from "../../src/http/json-body.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { tableChecksum } from "../helpers/table-checksum.js";

/**
 * JSON bodies are read by their source text (security issue item 11): a money field sees exactly
 * the literal that was sent, so `1e3` or `100.0000000000000001` is refused with the same answer
 * as the strings "1e3" / "100.0000000000000001" (the README promised that), while `250.5` and
 * `100` keep working; integer fields take plain integer literals only; nesting is bounded before
 * anything recursive runs.
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

const json = { "content-type": "application/json" };
/** POST raw JSON text (so number literals reach the server exactly as written). */
const post = (url: string, text: string) => t.call("POST", url, text, { as: a, headers: json });
const expenseText = (amount: string, extra = "") =>
  `{"paid_by":${a},"amount":${amount},"split_type":"EQUAL","participants":[${a},${b}],"description":"Cab"${extra}}`;

describe("money fields read number literals from their text", () => {
  const refused = ["1e3", "5E1", "1.5e2", "1E+2", "100.0000000000000001", "100.001", "1e-7"];
  it.each(refused)("amount %s is refused exactly like the string form", async (literal) => {
    const before = await tableChecksum(t.db);
    const asNumber = await post("/expenses", expenseText(literal));
    const asString = await post("/expenses", expenseText(JSON.stringify(literal)));
    expect(asString.status).toBe(422);
    expect(asNumber.status).toBe(asString.status);
    expect(asNumber.body.errors).toEqual(asString.body.errors);
    expect(asNumber.body.errors[0].field).toBe("amount");
    const settlement = await post(
      "/settlements",
      `{"from_user":${b},"to_user":${a},"amount":${literal}}`,
    );
    expect(settlement.status).toBe(422);
    expect(settlement.body.errors).toEqual(asString.body.errors);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("an exponent among EXACT split values is refused and names the value", async () => {
    const res = await post(
      "/expenses",
      `{"paid_by":${a},"amount":100,"split_type":"EXACT","participants":[${a},${b}],"split_values":[5e1,50],"description":"Cab"}`,
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: "split_values[0]", message: "must be a decimal number" },
    ]);
  });

  it("plain decimals and integers keep working, exactly", async () => {
    const exact = await post(
      "/expenses",
      `{"paid_by":${a},"amount":250.5,"split_type":"EXACT","participants":[${a},${b}],"split_values":[100.25,150.25],"description":"Tickets"}`,
    );
    expect(exact.status).toBe(201);
    expect(exact.body.amount).toBe(250.5);
    expect(exact.body.participants).toEqual([
      { userid: a, amount: 100.25 },
      { userid: b, amount: 150.25 },
    ]);
    for (const [literal, amount] of [
      ["100", 100],
      ["100.50", 100.5],
      ["0.1", 0.1],
      ["10000000", 10_000_000],
    ] as const) {
      const res = await post("/expenses", expenseText(literal));
      expect(res.status, literal).toBe(201);
      expect(res.body.amount).toBe(amount);
    }
    const pct = await post(
      "/expenses",
      `{"paid_by":${a},"amount":"1200","split_type":"PERCENTAGE","participants":[${a},${b}],"split_values":[12.5,87.5],"description":"Cab"}`,
    );
    expect(pct.status).toBe(201);
    expect(pct.body.participants.map((p: { amount: number }) => p.amount)).toEqual([150, 1050]);
  });
});

describe("integer fields take plain integer literals", () => {
  it.each(["1.0", "1e0", "1.5", "99999999999999999999", "2147483648"])(
    "paid_by %s is a 400 naming paid_by",
    async (literal) => {
      const res = await post(
        "/expenses",
        `{"paid_by":${literal},"amount":"10","split_type":"EQUAL","participants":[${a},${b}],"description":"Cab"}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain("paid_by");
    },
  );

  it("a mobile number as an integer literal still works; in exponent form it is refused", async () => {
    const ok = await post(
      "/users",
      '{"name":"Chetan","email":"c@example.com","mobile_number":919876543210}',
    );
    expect(ok.status).toBe(201);
    expect(ok.body.mobile_number).toBe("919876543210");
    const bad = await post(
      "/users",
      '{"name":"Dev","email":"d@example.com","mobile_number":9.1987654321e11}',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("mobile_number");
  });
});

describe("the parser on arbitrary JSON", () => {
  const SEED = Number(process.env.JSON_SEED ?? Date.now() % 2 ** 31);
  /** The rule, stated independently: plain integers a double holds stay numbers, others text. */
  const expected = (v: unknown): unknown => {
    if (typeof v === "number") {
      const literal = JSON.stringify(v);
      const n = Number(literal);
      return /^-?(0|[1-9][0-9]*)$/.test(literal) && Number.isSafeInteger(n) ? n : literal;
    }
    if (Array.isArray(v)) return v.map(expected);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expected(x)]));
    return v;
  };

  it("reads every value as JSON.parse does, except number literals kept as their text", () => {
    console.log(`json-body property: seed ${SEED} (replay: JSON_SEED=${SEED})`);
    const values = fc
      .jsonValue({ maxDepth: 6 })
      .filter((v) => !/"(__proto__|constructor)"/.test(JSON.stringify(v)));
    fc.assert(
      fc.property(values, fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        expect(parseJsonBody(text)).toEqual(expected(v));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe("nesting and other shapes", () => {
  it("bodies nested deeper than 64 levels are a 400 problem; 60 levels reach validation", async () => {
    const nested = (n: number) => `{"paid_by":${a},"x":${"[".repeat(n)}${"]".repeat(n)}}`;
    const deep = await post("/expenses", nested(65));
    expect(deep.status).toBe(400);
    expect(deep.body.type).toMatch(/malformed-request$/);
    expect(deep.body.detail).toMatch(/nested deeper than 64/);
    const fine = await post("/expenses", nested(60));
    expect(fine.status).toBe(400);
    expect(fine.body.type).toMatch(/validation-error$/);
    // Brackets inside strings are text, not nesting.
    const text = await post("/expenses", expenseText('"10"', `,"x":"${"[".repeat(1000)}"`));
    expect(text.body.type).toMatch(/validation-error$/);
  });

  it("canonicalJson refuses a 10,000-level value instead of overflowing the stack", () => {
    let value: unknown = [];
    for (let i = 0; i < 10_000; i++) value = [value];
    expect(() => canonicalJson(value)).toThrow(/nested deeper than 64/);
    expect(canonicalJson({ b: [1, "x"], a: null })).toBe('{"a":null,"b":[1,"x"]}');
  });

  it("__proto__ keys are still refused (no prototype pollution)", async () => {
    const res = await post("/expenses", expenseText('"10"', ',"__proto__":{"admin":true}'));
    expect(res.status).toBe(400);
    expect(res.body.type).toMatch(/malformed-request$/);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
