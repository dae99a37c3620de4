import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bookAtRate,
  describeAmount,
  describeCurrency,
  describeRate,
  formatMinor,
  formatMoney,
  isCurrencyCode,
  maxAmountMinor,
  minorDigits,
  parseAmount,
  parseRate,
} from "./currency.js";

describe("currency codes and minor units", () => {
  it("knows ISO 4217 codes and their digits from Intl", () => {
    expect(["INR", "USD", "EUR", "JPY", "KWD"].map(minorDigits)).toEqual([2, 2, 2, 0, 3]);
    expect(isCurrencyCode("INR")).toBe(true);
    for (const bad of ["inr", "IN", "INRR", "XYZ", "", 5, null])
      expect(isCurrencyCode(bad)).toBe(false);
    expect(describeCurrency("XYZ")).toBe("XYZ is not an ISO 4217 currency code");
    expect(describeCurrency("usd")).toMatch(/three capital letters/);
    expect(describeCurrency("USD")).toBeNull();
    expect(() => minorDigits("XYZ")).toThrow(RangeError);
  });

  it("limits every currency to 10,000,000 major units (1 crore for INR, as before)", () => {
    expect(maxAmountMinor("INR")).toBe(1_000_000_000);
    expect(maxAmountMinor("JPY")).toBe(10_000_000);
    expect(maxAmountMinor("KWD")).toBe(10_000_000_000);
    expect(describeAmount(1_000_000_000, "INR")).toBeNull();
    expect(describeAmount(1_000_000_001, "INR")).toBe("must be at most 10000000.00 INR");
    expect(describeAmount(10_000_001, "JPY")).toBe("must be at most 10000000 JPY");
    expect(describeAmount(0, "USD")).toBe("must be greater than 0");
  });
});

describe("parseAmount", () => {
  it("takes at most the currency's digits, from strings and JSON numbers alike", () => {
    expect(parseAmount("100.50", "USD")).toEqual({ ok: true, value: 10050 });
    expect(parseAmount(100.5, "USD")).toEqual({ ok: true, value: 10050 });
    expect(parseAmount("100", "JPY")).toEqual({ ok: true, value: 100 });
    expect(parseAmount(100, "JPY")).toEqual({ ok: true, value: 100 });
    expect(parseAmount("1.234", "KWD")).toEqual({ ok: true, value: 1234 });
    expect(parseAmount(0.001, "KWD")).toEqual({ ok: true, value: 1 });
    expect(parseAmount(1.15, "INR")).toEqual({ ok: true, value: 115 });
  });

  it.each([
    ["100.0", "JPY"],
    ["100.5", "JPY"],
    [100.5, "JPY"],
    ["1.001", "INR"],
    [33.335, "USD"],
    ["1.2345", "KWD"],
  ] as const)("refuses %j in %s", (value, currency) => {
    const r = parseAmount(value, currency);
    expect(r.ok).toBe(false);
  });

  it("says why: no decimals at all for JPY", () => {
    expect(parseAmount("100.0", "JPY")).toEqual({
      ok: false,
      message: "must be a whole number (no decimal places)",
    });
    expect(parseAmount("1.0001", "KWD")).toEqual({
      ok: false,
      message: "must have at most 3 decimal places",
    });
  });

  it("round-trips formatMinor for every currency", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("INR", "USD", "JPY", "KWD", "EUR"),
        fc.integer({ min: -1e13, max: 1e13 }),
        (currency, minor) => {
          expect(parseAmount(formatMinor(minor, currency), currency)).toEqual({
            ok: true,
            value: minor,
          });
        },
      ),
    );
  });
});

describe("formatting", () => {
  it("plain text with the currency's digits", () => {
    expect(formatMinor(150050, "INR")).toBe("1500.50");
    expect(formatMinor(-5, "USD")).toBe("-0.05");
    expect(formatMinor(1500, "JPY")).toBe("1500");
    expect(formatMinor(1, "KWD")).toBe("0.001");
    expect(formatMinor(0, "EUR")).toBe("0.00");
  });

  it("for display: Indian grouping for INR, the symbol for the rest", () => {
    expect(formatMoney(10_000_000, "INR")).toBe("₹1,00,000.00");
    expect(formatMoney(100_000, "USD")).toBe("$1,000.00");
    expect(formatMoney(1000, "JPY")).toBe("¥1,000");
    expect(formatMoney(-123456, "EUR")).toBe("-€1,234.56");
    // Beyond a double's exact range: still every digit, not a float's approximation.
    expect(formatMoney(9_007_199_254_740_991, "USD")).toBe("$90,071,992,547,409.91");
  });
});

describe("booking at an exchange rate", () => {
  it("rounds half up to the target's minor unit, exactly", () => {
    expect(bookAtRate(10000, "USD", "83.125", "INR")).toBe(831250);
    expect(bookAtRate(1, "USD", "0.5", "INR")).toBe(1); // 0.005 INR → 0.01
    expect(bookAtRate(1, "USD", "0.4999", "INR")).toBe(0);
    expect(bookAtRate(1000, "JPY", "0.00555", "EUR")).toBe(555);
    expect(bookAtRate(999, "JPY", "0.555", "INR")).toBe(55445); // 554.445 → 554.45
    expect(bookAtRate(1234, "KWD", "270.5", "INR")).toBe(33380); // 1.234 × 270.5 = 333.797
    expect(bookAtRate(150, "INR", "1.5", "JPY")).toBe(2); // 2.25 yen → 2
    // A float would give 1.005 × 100 = 100.49999…: bigint arithmetic does not.
    expect(bookAtRate(100, "USD", "1.005", "EUR")).toBe(101);
  });

  it("takes rates only as positive plain decimals", () => {
    expect(parseRate("83.1234")).toEqual({ num: 831234n, den: 10000n });
    for (const bad of ["0", "0.000", "-1", "1e3", "", " 1", "1,5", ".5"]) {
      expect(parseRate(bad)).toBeNull();
      expect(describeRate(bad)).not.toBeNull();
    }
    expect(describeRate(1.5)).not.toBeNull();
    expect(() => bookAtRate(100, "USD", "abc", "INR")).toThrow(RangeError);
  });

  it("equals the exact product rounded half up, for any amount and rate", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (minor, rate4) => {
          // rate = rate4 / 10^4; USD → INR: minor × rate4 / 10^4, half up.
          const rate = `${Math.trunc(rate4 / 10_000)}.${String(rate4 % 10_000).padStart(4, "0")}`;
          const exact = BigInt(minor) * BigInt(rate4);
          const want = (exact + 5000n) / 10_000n;
          expect(bookAtRate(minor, "USD", rate, "INR")).toBe(Number(want));
        },
      ),
    );
  });
});
