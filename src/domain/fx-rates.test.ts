import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { convert, crossRate, MalformedRates, parseEcbRates, UnknownRate } from "./fx-rates.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/ecb/${name}`, import.meta.url), "utf8");

describe("ECB reference rates", () => {
  it("reads the daily XML with rates kept as the file's text", () => {
    const [day, ...rest] = parseEcbRates(fixture("eurofxref-daily.xml"));
    expect(rest).toEqual([]);
    expect(day?.asOf).toBe("2024-06-14");
    expect(day?.base).toBe("EUR");
    expect(day?.rates.get("USD")).toBe("1.0686");
    expect(day?.rates.get("GBP")).toBe("0.84375");
    expect(day?.rates.get("INR")).toBe("89.2345");
    expect(day?.rates.size).toBe(8);
  });

  it("reads the history XML and both CSV forms, newest day first, and they agree", () => {
    const histXml = parseEcbRates(fixture("eurofxref-hist.xml"));
    const histCsv = parseEcbRates(fixture("eurofxref-hist.csv"));
    expect(histXml.map((t) => t.asOf)).toEqual(["2024-06-14", "2024-06-13", "2024-06-12"]);
    expect(histCsv).toEqual(histXml);
    const daily = parseEcbRates(fixture("eurofxref.csv"));
    expect(daily).toEqual(parseEcbRates(fixture("eurofxref-daily.xml")));
    // N/A (a currency without a rate that day) is left out, not read as a rate.
    expect(histCsv[0]?.rates.has("CYP")).toBe(false);
  });

  it("skips withdrawn currencies but refuses malformed codes and rates, naming where", () => {
    const withdrawn = parseEcbRates("Date,USD,CYP,\n2007-12-31,1.4721,0.5842,\n");
    expect([...(withdrawn[0]?.rates.keys() ?? [])]).toEqual(["USD"]);
    const err = (() => {
      try {
        parseEcbRates(fixture("malformed.xml"));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(MalformedRates);
    expect((err as MalformedRates).issues).toEqual([
      { field: "Cube[0]", message: "rate for USD is not a positive decimal: 1,0686" },
    ]);
    expect(() => parseEcbRates("<not xml")).toThrow(MalformedRates);
    expect(() => parseEcbRates("Day,USD\n1,2\n")).toThrow(MalformedRates);
    expect(() => parseEcbRates("Date,US,\n2024-01-01,1.1,\n")).toThrow(MalformedRates);
    expect(() => parseEcbRates("Date,USD,\nyesterday,1.1,\n")).toThrow(MalformedRates);
  });
});

describe("conversion through the euro", () => {
  const [day] = parseEcbRates(fixture("eurofxref-daily.xml"));
  if (!day) throw new Error("fixture has no day");

  it("is exact, rounded half up once at the end", () => {
    // 100.00 USD → EUR: 100 / 1.0686 = 93.5804…
    expect(convert(day, 10000, "USD", "EUR")).toBe(9358);
    // 100.00 USD → INR: 100 × 89.2345 / 1.0686 = 8350.5989… (not 93.58 × 89.2345 = 8350.56)
    expect(convert(day, 10000, "USD", "INR")).toBe(835060);
    // 1000 JPY → USD: 1000 × 1.0686 / 168.16 = 6.35466… → 6.35
    expect(convert(day, 1000, "JPY", "USD")).toBe(635);
    // EUR → JPY: 0.50 EUR = 84.08 yen → 84
    expect(convert(day, 50, "EUR", "JPY")).toBe(84);
    expect(convert(day, 12345, "INR", "INR")).toBe(12345);
    expect(crossRate(day, "EUR", "USD")).toEqual({ num: 10686n, den: 10000n });
  });

  it("names the currency that has no rate", () => {
    expect(() => convert(day, 100, "USD", "KWD")).toThrow(UnknownRate);
    try {
      convert(day, 100, "BRL", "USD");
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownRate);
      expect((e as UnknownRate).currency).toBe("BRL");
      expect((e as UnknownRate).message).toBe("No exchange rate for BRL on 2024-06-14");
      expect((e as UnknownRate).kind).toBe("rule");
    }
    expect.assertions(5);
  });
});
