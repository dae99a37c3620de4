import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { testSeed } from "../../test/helpers/seed.js";
import { minorDigits } from "./currency.js";
import { type CurrencyAmount, type EuroRates, MissingRates, sumInto } from "./fx-convert.js";
import { convert, type RateTable } from "./fx-rates.js";

/** The fixture's day (eurofxref-daily.xml, 2024-06-14), with one older rate. */
const day: EuroRates = new Map([
  ["USD", { rate: "1.0686", asOf: "2024-06-14" }],
  ["JPY", { rate: "168.16", asOf: "2024-06-14" }],
  ["INR", { rate: "89.2345", asOf: "2024-06-14" }],
  ["GBP", { rate: "0.84375", asOf: "2024-06-14" }],
  ["KWD", { rate: "0.3283", asOf: "2024-06-13" }],
]);
const sum = (amounts: CurrencyAmount[], to: string) => sumInto(day, amounts, to);

describe("summing amounts of several currencies into one", () => {
  it("converts through the euro and rounds the sum once, half up", () => {
    // 100.00 USD = 8350.5989… INR; 1000 JPY = 530.6523… INR; together 8881.2512… → 8881.25.
    expect(sum([{ currency: "USD", amount: 10000 }], "INR")).toEqual({
      ok: true,
      amount: 835060,
      ratesAsOf: "2024-06-14",
    });
    expect(sum([{ currency: "JPY", amount: 1000 }], "INR")).toMatchObject({ amount: 53065 });
    // Rounding each first would give 8350.60 + 530.65 = 8881.25 here, but not in general:
    expect(
      sum(
        [
          { currency: "USD", amount: 10000 },
          { currency: "JPY", amount: 1000 },
        ],
        "INR",
      ),
    ).toMatchObject({ amount: 888125 });
    // 0.01 USD + 0.01 USD as two entries: 2 × 0.0093580… EUR = 0.0187 → 0.02 (each alone 0.01).
    expect(
      sum(
        [
          { currency: "USD", amount: 1 },
          { currency: "USD", amount: 1 },
        ],
        "EUR",
      ),
    ).toMatchObject({ amount: 2 });
    expect(sum([{ currency: "USD", amount: 1 }], "EUR")).toMatchObject({ amount: 1 });
    // The README's example: 0.935804… + 1.185185… = 2.120989… → 2.12 (each first: 0.94 + 1.19).
    expect(
      sum(
        [
          { currency: "USD", amount: 100 },
          { currency: "GBP", amount: 100 },
        ],
        "EUR",
      ),
    ).toMatchObject({ amount: 212 });
  });

  it("keeps signs symmetric (half away from zero) and handles 0, 3 and 0 minor digits", () => {
    expect(sum([{ currency: "INR", amount: -10000 }], "USD")).toMatchObject({ amount: -120 });
    expect(sum([{ currency: "INR", amount: 10000 }], "USD")).toMatchObject({ amount: 120 });
    // 1.000 KWD = 1 / 0.3283 EUR = 512.217… yen → 512; rates_as_of is the older KWD date.
    expect(sum([{ currency: "KWD", amount: 1000 }], "JPY")).toEqual({
      ok: true,
      amount: 512,
      ratesAsOf: "2024-06-13",
    });
    // 1 EUR = 0.3283 KWD exactly (3 digits: 0.328 → half up from 0.3283 → 0.328).
    expect(sum([{ currency: "EUR", amount: 100 }], "KWD")).toMatchObject({ amount: 328 });
  });

  it("needs no rate for amounts already in the target, for zeros, or for EUR itself", () => {
    const none: EuroRates = new Map();
    expect(sumInto(none, [], "BRL")).toEqual({ ok: true, amount: 0, ratesAsOf: null });
    expect(
      sumInto(
        none,
        [
          { currency: "BRL", amount: 150 },
          { currency: "USD", amount: 0 },
          { currency: "BRL", amount: -50 },
        ],
        "BRL",
      ),
    ).toEqual({ ok: true, amount: 100, ratesAsOf: null });
    // EUR → USD needs only USD's rate.
    expect(sumInto(day, [{ currency: "EUR", amount: 100 }], "USD")).toEqual({
      ok: true,
      amount: 107,
      ratesAsOf: "2024-06-14",
    });
  });

  it("names every currency without a rate, the target included", () => {
    expect(
      sum(
        [
          { currency: "BRL", amount: 1 },
          { currency: "USD", amount: 1 },
          { currency: "AUD", amount: 1 },
        ],
        "CHF",
      ),
    ).toEqual({ ok: false, missing: ["AUD", "BRL", "CHF"] });
    // A code that is not a currency (stored data gone wrong) has no rate either.
    expect(sum([{ currency: "XYZ", amount: 1 }], "USD")).toEqual({ ok: false, missing: ["XYZ"] });
    expect(() => sum([], "usd")).toThrow(RangeError);
    // Beyond a safe integer: refused, never a rounded float.
    expect(() => sum([{ currency: "JPY", amount: Number.MAX_SAFE_INTEGER }], "KWD")).toThrow(
      "converted amount is too large",
    );
    const err = new MissingRates(["BRL", "CHF"], "CHF");
    expect(err.kind).toBe("rule");
    expect(err.message).toBe("No exchange rate for BRL, CHF: cannot convert to CHF");
    expect(err.issues).toEqual([
      { field: "convert_to", message: "no exchange rate for BRL" },
      { field: "convert_to", message: "no exchange rate for CHF" },
    ]);
  });
});

// Properties over random rates (decimal text with up to 6 places), amounts and currencies of 0,
// 2 and 3 minor digits. Seeded from TEST_SEED (test/setup/fast-check.ts), printed for replay.
describe("conversion properties", () => {
  console.log(`fx conversion properties: seed ${testSeed} (replay: TEST_SEED=${testSeed})`);
  const CODES = ["EUR", "USD", "INR", "JPY", "KWD", "GBP", "CHF"] as const;
  const code = fc.constantFrom(...CODES);
  // Rates from 0.01 to 2000 with up to 4 places (the ECB's span: IDR ~17000 aside).
  const rateText = fc
    .tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 9999 }))
    .filter(([i, f]) => i > 0 || f >= 100)
    .map(([i, f]) => `${i}.${String(f).padStart(4, "0")}`.replace(/\.?0+$/, ""));
  const rates = fc
    .tuple(
      fc.array(rateText, { minLength: CODES.length, maxLength: CODES.length }),
      fc.array(fc.constantFrom("2024-06-12", "2024-06-13", "2024-06-14"), {
        minLength: CODES.length,
        maxLength: CODES.length,
      }),
    )
    .map(([texts, dates]) => {
      const m = new Map<string, { rate: string; asOf: string }>();
      CODES.forEach((c, i) => {
        if (c !== "EUR") m.set(c, { rate: texts[i] as string, asOf: dates[i] as string });
      });
      return m as EuroRates;
    });
  const amount = fc.integer({ min: -1e10, max: 1e10 });
  const amounts = fc.array(fc.record({ currency: code, amount }), { maxLength: 8 });

  /** Half-up rounding of a decimal text to `digits` places, by its digits (not by division). */
  function roundText(text: string, digits: number): bigint {
    const [int, frac = ""] = text.split(".");
    const kept = BigInt(`${int}${frac.padEnd(digits, "0").slice(0, digits)}`);
    return (frac[digits] ?? "0") >= "5" ? kept + 1n : kept;
  }

  /** The exact total over one common denominator (the product of all), computed apart. */
  function exactTotal(r: EuroRates, list: CurrencyAmount[], y: string) {
    const scaled = (c: string) => {
      const t = c === "EUR" ? "1" : (r.get(c)?.rate as string);
      return { n: BigInt(t.replace(".", "")), d: 10n ** BigInt((t.split(".")[1] ?? "").length) };
    };
    const terms = list.map(({ currency, amount: a }) => {
      if (currency === y) return { n: BigInt(a), d: 1n };
      const [f, t] = [scaled(currency), scaled(y)];
      return {
        n: BigInt(a) * f.d * t.n * 10n ** BigInt(minorDigits(y)),
        d: f.n * t.d * 10n ** BigInt(minorDigits(currency)),
      };
    });
    const den = terms.reduce((p, t) => p * t.d, 1n);
    const num = terms.reduce((s, t) => s + (t.n * den) / t.d, 0n);
    return { num, den };
  }
  /** Whether the total stays a safe integer (beyond that, sumInto throws a RangeError). */
  const fits = (r: EuroRates, list: CurrencyAmount[], y: string) => {
    const { num, den } = exactTotal(r, list, y);
    const limit = BigInt(Number.MAX_SAFE_INTEGER) - 1n;
    return num <= limit * den && num >= -limit * den;
  };

  it("converting X into X is the identity, whatever the rates", () => {
    fc.assert(
      fc.property(rates, code, fc.array(amount, { maxLength: 8 }), (r, x, values) => {
        const got = sumInto(
          r,
          values.map((a) => ({ currency: x, amount: a })),
          x,
        );
        expect(got).toEqual({
          ok: true,
          amount: values.reduce((s, a) => s + a, 0),
          ratesAsOf: null,
        });
      }),
    );
  });

  it("1 EUR into Y is Y's rate rounded half up to Y's minor digits", () => {
    fc.assert(
      fc.property(rates, code, (r, y) => {
        const got = sumInto(r, [{ currency: "EUR", amount: 100 }], y);
        const want = y === "EUR" ? 100n : roundText(r.get(y)?.rate as string, minorDigits(y));
        expect(got).toMatchObject({ ok: true, amount: Number(want) });
      }),
    );
  });

  it("a sum is the exact total rounded once: within half a minor unit of it", () => {
    fc.assert(
      fc.property(rates, amounts, code, (r, list, y) => {
        fc.pre(fits(r, list, y));
        const got = sumInto(r, list, y);
        if (!got.ok) throw new Error(`missing ${got.missing}`);
        const { num, den } = exactTotal(r, list, y);
        const diff = BigInt(got.amount) * den - num;
        expect(2n * (diff < 0n ? -diff : diff) <= den).toBe(true);
        // Half away from zero: a tie never rounds towards zero.
        if (2n * (diff < 0n ? -diff : diff) === den) expect(diff * num > 0n).toBe(true);
      }),
    );
  });

  it("is symmetric in sign, order-independent, and agrees with convert() for one amount", () => {
    fc.assert(
      fc.property(rates, amounts, code, (r, list, y) => {
        fc.pre(fits(r, list, y) && list.every((a) => fits(r, [a], y)));
        const got = sumInto(r, list, y);
        const negated = sumInto(
          r,
          list.map((a) => ({ ...a, amount: -a.amount })),
          y,
        );
        const reversed = sumInto(r, [...list].reverse(), y);
        if (!got.ok || !negated.ok) throw new Error("a rate is missing");
        expect(negated.amount).toBe(-got.amount || 0);
        expect(reversed).toEqual(got);
        const [first] = list;
        if (!first) return;
        const table: RateTable = {
          asOf: "2024-06-14",
          base: "EUR",
          rates: new Map([...r].map(([c, q]) => [c, q.rate])),
        };
        expect(sumInto(r, [first], y)).toMatchObject({
          amount: convert(table, first.amount, first.currency, y),
        });
      }),
    );
  });

  it("reports exactly the currencies whose rate is needed and missing; else the oldest date used", () => {
    fc.assert(
      fc.property(rates, amounts, code, fc.subarray<string>([...CODES]), (r, list, y, dropped) => {
        fc.pre(fits(r, list, y));
        const partial = new Map([...r].filter(([c]) => !dropped.includes(c)));
        const converted = list.filter((a) => a.amount !== 0 && a.currency !== y);
        const needed = new Set(converted.map((a) => a.currency));
        if (needed.size > 0) needed.add(y);
        const want = [...needed].filter((c) => c !== "EUR" && dropped.includes(c)).sort();
        const got = sumInto(partial, list, y);
        if (want.length > 0) {
          expect(got).toEqual({ ok: false, missing: want });
          return;
        }
        // rates_as_of: the oldest date among the rates used, none when nothing was converted.
        const dates = [...needed].filter((c) => c !== "EUR").map((c) => r.get(c)?.asOf as string);
        expect(got).toEqual({
          ok: true,
          amount: (sumInto(r, list, y) as { amount: number }).amount,
          ratesAsOf: dates.length > 0 ? dates.sort()[0] : null,
        });
      }),
    );
  });
});
