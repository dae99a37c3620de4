import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divFloor, formatPaise, parseDecimal2 } from "./money.js";

describe("parseDecimal2 / formatPaise", () => {
  it("round-trips any amount in paise", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (p) => {
        expect(parseDecimal2(formatPaise(p))).toEqual({ ok: true, value: p });
      }),
    );
  });

  it("reads JSON numbers by their decimal text, never by float arithmetic", () => {
    expect(parseDecimal2(0.1)).toEqual({ ok: true, value: 10 });
    expect(parseDecimal2(33.34)).toEqual({ ok: true, value: 3334 });
    expect(parseDecimal2(1.15)).toEqual({ ok: true, value: 115 }); // 1.15 * 100 = 114.99999999999999
    expect(parseDecimal2(10000000)).toEqual({ ok: true, value: 1_000_000_000 });
    expect(parseDecimal2("10")).toEqual({ ok: true, value: 1000 });
    expect(parseDecimal2("10.5")).toEqual({ ok: true, value: 1050 });
    expect(parseDecimal2("-5.00")).toEqual({ ok: true, value: -500 });
  });

  it.each([["33.335"], [33.335], ["1.001"], [0.001]])("refuses more than 2 decimals: %j", (v) => {
    expect(parseDecimal2(v)).toEqual({ ok: false, message: "must have at most 2 decimal places" });
  });

  it.each([
    ["abc"],
    [""],
    [" 1"],
    ["1e3"],
    [1e21],
    [1e-7],
    ["+1"],
    [".5"],
    ["5."],
    ["0x10"],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
  ])("refuses non-decimals: %j", (v) => {
    expect(parseDecimal2(v).ok).toBe(false);
  });

  it("formats exactly", () => {
    expect(formatPaise(3334)).toBe("33.34");
    expect(formatPaise(-500)).toBe("-5.00");
    expect(formatPaise(7)).toBe("0.07");
    expect(formatPaise(0)).toBe("0.00");
    expect(formatPaise(1_000_000_000)).toBe("10000000.00");
  });

  it("divides integers exactly (floor)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.integer({ min: 1, max: 1e6 }),
        (a, b) => {
          const q = divFloor(a, b);
          expect(Number.isInteger(q)).toBe(true);
          expect(q * b <= a && a < (q + 1) * b).toBe(true);
        },
      ),
    );
  });
});
