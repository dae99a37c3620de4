import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatRupees, parseAmountText } from "./amount-text.js";
import { formatPaise, parseDecimal2 } from "./money.js";

const ok = (value: number) => ({ ok: true, value });

describe("parseAmountText (forms only)", () => {
  it.each([
    ["1000", 100_000],
    ["1,000", 100_000],
    ["1,00,000.50", 10_000_050],
    ["100,000.50", 10_000_050],
    ["10,00,00,000", 10_000_000_000],
    ["₹500", 50_000],
    ["₹ 1,200.00", 120_000],
    ["  ₹1,100.5 ", 110_050],
    ["12,345", 1_234_500],
    ["0.07", 7],
    ["-₹5", -500],
  ])("reads %j", (text, value) => {
    expect(parseAmountText(text)).toEqual(ok(value));
  });

  it.each([["1,0,0"], ["10,00"], ["1,000,00"], [",100"], ["1,000,"], ["1,00,0000"], ["1,0000"]])(
    "refuses inconsistent grouping %j",
    (text) => {
      expect(parseAmountText(text)).toEqual({
        ok: false,
        message: "has digit grouping that is neither 1,00,000 nor 100,000",
      });
    },
  );

  it.each([["abc"], [""], ["₹"], ["1e3"], ["Rs 5"], ["5."], [".5"], ["₹₹5"], ["1 000"]])(
    "refuses %j",
    (text) => {
      expect(parseAmountText(text).ok).toBe(false);
    },
  );

  it("keeps the 2-decimal rule", () => {
    expect(parseAmountText("1,000.555")).toEqual({
      ok: false,
      message: "must have at most 2 decimal places",
    });
  });

  it("reads back every amount it formats, and every plain decimal as the API does", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (p) => {
        expect(parseAmountText(formatRupees(p))).toEqual(ok(p));
        expect(parseAmountText(formatPaise(p))).toEqual(parseDecimal2(formatPaise(p)));
      }),
    );
  });

  it("reads international grouping as the same amount as Indian grouping", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), (p) => {
        const [whole = "", frac = ""] = formatPaise(p).split(".");
        const intl = `${whole.replace(/\B(?=([0-9]{3})+$)/g, ",")}.${frac}`;
        expect(parseAmountText(intl)).toEqual(ok(p));
      }),
    );
  });
});

describe("formatRupees", () => {
  it("groups the Indian way, matching Intl's en-IN", () => {
    expect(formatRupees(110_050)).toBe("₹1,100.50");
    expect(formatRupees(10_000_000)).toBe("₹1,00,000.00");
    expect(formatRupees(7)).toBe("₹0.07");
    expect(formatRupees(-25_986)).toBe("-₹259.86");
    const inr = new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR" });
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (p) => {
        expect(formatRupees(p)).toBe(inr.format(formatPaise(p) as `${number}`));
      }),
    );
  });
});

describe("parseAmountText in the form's currency", () => {
  it("reads yen with no decimal places: ¥1,000 and 1,000 are 1000 yen", () => {
    expect(parseAmountText("1,000", "JPY")).toEqual(ok(1000));
    expect(parseAmountText("¥1,000", "JPY")).toEqual(ok(1000));
  });

  it("refuses 100.5 and 100.0 yen, naming the rule", () => {
    for (const text of ["100.5", "100.0"])
      expect(parseAmountText(text, "JPY")).toEqual({
        ok: false,
        message: "must be a whole number (no decimal places)",
      });
    expect(parseAmountText("abc", "JPY")).toEqual({
      ok: false,
      message: "must be an amount in JPY such as 1250 or ¥100,000 (no decimal places)",
    });
  });

  it("reads dinars with 3 decimal places and dollars with a sign or code", () => {
    expect(parseAmountText("1.500", "KWD")).toEqual(ok(1500));
    expect(parseAmountText("$1,000.50", "USD")).toEqual(ok(100_050));
    expect(parseAmountText("USD 12", "USD")).toEqual(ok(1200));
  });
});
