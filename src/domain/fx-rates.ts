/**
 * Euro foreign-exchange reference rates, as the ECB publishes them (eurofxref-daily.xml,
 * eurofxref-hist.xml, and the CSV files inside eurofxref.zip / eurofxref-hist.zip), and exact
 * conversion between any two currencies through the euro. Rates stay decimal strings; arithmetic
 * is on bigint fractions, rounded once, half up, at the end.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { XMLParser } from "fast-xml-parser";
import {
  convertMinor,
  describeCurrency,
  isCurrencyCode,
  parseRate,
  type Rational,
} from "./currency.js";
import { type FieldIssue, RuleViolation } from "./errors.js";

/** One day's rates: 1 EUR = rates.get(code) units of code. EUR itself is implied ("1"). */
export interface RateTable {
  /** YYYY-MM-DD. */
  asOf: string;
  base: "EUR";
  rates: Map<string, string>;
}

/** No rate for a currency on the table used (HTTP 422 naming it). */
export class UnknownRate extends RuleViolation {
  constructor(
    readonly currency: string,
    readonly asOf: string | null,
  ) {
    super(`No exchange rate for ${currency}${asOf ? ` on ${asOf}` : ""}`, [
      { field: "currency", message: `has no exchange rate: ${currency}` },
    ]);
  }
}

/** A rates file that cannot be read (HTTP 422 with what is wrong where). */
export class MalformedRates extends RuleViolation {}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "2024-06-14" or "14 June 2024" (the daily CSV's form) → "2024-06-14"; null otherwise. */
function isoDate(text: string): string | null {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  const m = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(t);
  const month = m ? MONTHS.indexOf(m[2] as string) + 1 : 0;
  if (!m || month === 0) return null;
  return `${m[3]}-${String(month).padStart(2, "0")}-${(m[1] as string).padStart(2, "0")}`;
}

function fail(issues: FieldIssue[]): never {
  throw new MalformedRates("The exchange-rates file is not valid", issues);
}

/** Adds one currency's rate, noting what is wrong with it. */
function addRate(
  rates: Map<string, string>,
  code: string,
  rate: string,
  where: string,
  issues: FieldIssue[],
): void {
  if (!/^[A-Z]{3}$/.test(code)) {
    issues.push({ field: where, message: `currency ${describeCurrency(code)}` });
  } else if (!isCurrencyCode(code)) {
    // A withdrawn currency (the history's CYP, SIT, …): nothing can be booked in it any more.
  } else if (parseRate(rate) === null) {
    issues.push({ field: where, message: `rate for ${code} is not a positive decimal: ${rate}` });
  } else rates.set(code, rate);
}

const asArray = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

type Cube = { "@_time"?: string; "@_currency"?: string; "@_rate"?: string; Cube?: Cube | Cube[] };

/**
 * The ECB XML (daily or history): every `<Cube time=…>` day, newest first. Attribute values
 * are kept as text (never parsed as numbers).
 */
export function parseEcbXml(text: string): RateTable[] {
  let doc: { Envelope?: { Cube?: Cube } };
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@_",
      removeNSPrefix: true,
      parseAttributeValue: false,
      processEntities: false,
    }).parse(text, true);
  } catch (e) {
    fail([{ field: "file", message: `is not well-formed XML: ${(e as Error).message}` }]);
  }
  const days = asArray(doc.Envelope?.Cube?.Cube);
  if (days.length === 0) fail([{ field: "file", message: "has no <Cube time=…> day of rates" }]);
  const issues: FieldIssue[] = [];
  const tables: RateTable[] = days.map((day, i) => {
    const asOf = isoDate(day["@_time"] ?? "");
    if (asOf === null) issues.push({ field: `Cube[${i}]`, message: "has no valid time attribute" });
    const rates = new Map<string, string>();
    for (const c of asArray(day.Cube)) {
      addRate(rates, c["@_currency"] ?? "", c["@_rate"] ?? "", `Cube[${i}]`, issues);
    }
    return { asOf: asOf ?? "", base: "EUR", rates };
  });
  if (issues.length > 0) fail(issues);
  return tables.sort((a, b) => (a.asOf < b.asOf ? 1 : a.asOf > b.asOf ? -1 : 0));
}

/**
 * The ECB CSV (eurofxref.csv: `Date, USD, JPY, …,` then `14 June 2024, 1.0686, …,`; or
 * eurofxref-hist.csv with ISO dates and `N/A` where a currency had no rate): newest first.
 * Spaces after commas and the trailing empty column are the ECB's own.
 */
export function parseEcbCsv(text: string): RateTable[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, { trim: true, skip_empty_lines: true, relax_column_count: true });
  } catch (e) {
    fail([{ field: "file", message: `is not valid CSV: ${(e as Error).message}` }]);
  }
  const [header, ...body] = rows;
  if (header?.[0] !== "Date" || body.length === 0) {
    fail([
      { field: "line 1", message: "must be a header `Date, USD, …` followed by rows of rates" },
    ]);
  }
  const issues: FieldIssue[] = [];
  const tables = body.map((row, i) => {
    const line = `line ${i + 2}`;
    const asOf = isoDate(row[0] ?? "");
    if (asOf === null) issues.push({ field: line, message: `has no valid date: ${row[0]}` });
    const rates = new Map<string, string>();
    header.forEach((code, col) => {
      const rate = row[col] ?? "";
      if (col === 0 || (code === "" && rate === "") || rate === "N/A" || rate === "") return;
      addRate(rates, code, rate, line, issues);
    });
    return { asOf: asOf ?? "", base: "EUR" as const, rates };
  });
  if (issues.length > 0) fail(issues);
  return tables.sort((a, b) => (a.asOf < b.asOf ? 1 : a.asOf > b.asOf ? -1 : 0));
}

/** Either format, told apart by its first character (`<` for XML). Newest day first. */
export function parseEcbRates(text: string): RateTable[] {
  return text.trimStart().startsWith("<") ? parseEcbXml(text) : parseEcbCsv(text);
}

/** 1 EUR in `currency`, as a fraction. */
function euroRate(table: RateTable, currency: string): Rational {
  if (currency === "EUR") return { num: 1n, den: 1n };
  const text = isCurrencyCode(currency) ? table.rates.get(currency) : undefined;
  const rate = text === undefined ? null : parseRate(text);
  if (rate === null) throw new UnknownRate(currency, table.asOf);
  return rate;
}

/**
 * The exact rate from `from` to `to` (1 unit of `from` = result units of `to`) through the euro:
 * rate(to) / rate(from). Throws UnknownRate naming the first currency without a rate.
 */
export function crossRate(table: RateTable, from: string, to: string): Rational {
  const f = euroRate(table, from);
  const t = euroRate(table, to);
  return { num: t.num * f.den, den: t.den * f.num };
}

/**
 * `minor` units of `from` in minor units of `to`, through the euro, exactly, rounded half up
 * once at the end. 100.00 USD with 1 EUR = 1.0686 USD = 89.2345 INR → 8350.60 INR (835060).
 */
export function convert(table: RateTable, minor: number, from: string, to: string): number {
  return convertMinor(minor, from, crossRate(table, from, to), to);
}
