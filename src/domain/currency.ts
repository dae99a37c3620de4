/**
 * Currencies: ISO 4217 codes, their minor units (from Intl, so JPY has 0 digits and KWD 3), exact
 * parsing and formatting of amounts in any currency, and booking an amount at an exchange rate.
 * An amount is always an integer number of the currency's minor units (paise, cents, yen, fils).
 */
import { type ParseResult, parseDecimalPlaces } from "./money.js";

/** The largest single amount in any currency, in major units: 1 crore INR, as the seed had. */
export const MAX_MAJOR_UNITS = 10_000_000;

const CODE = /^[A-Z]{3}$/;
const digitsCache = new Map<string, number>();

/** Codes Intl knows as currencies (162 or so on Node 20), read once. */
let known: Set<string> | null = null;
function knownCodes(): Set<string> {
  known ??= new Set(Intl.supportedValuesOf("currency"));
  return known;
}

/** An ISO 4217 code Intl knows: three capital letters (`INR`, `usd` is not one). */
export function isCurrencyCode(code: unknown): code is string {
  return typeof code === "string" && CODE.test(code) && knownCodes().has(code);
}

/** Throws a RangeError for a code that is not one: callers validate input first. */
function assertCode(code: string): void {
  if (!isCurrencyCode(code)) throw new RangeError(`not an ISO 4217 currency code: ${code}`);
}

/** The currency's decimal places, as Intl formats it: INR/USD/EUR 2, JPY 0, KWD 3. Cached. */
export function minorDigits(currency: string): number {
  const cached = digitsCache.get(currency);
  if (cached !== undefined) return cached;
  assertCode(currency);
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits as number;
  digitsCache.set(currency, digits);
  return digits;
}

/** 10^digits: minor units per major unit (100 for INR, 1 for JPY, 1000 for KWD). */
export function minorPerMajor(currency: string): number {
  return 10 ** minorDigits(currency);
}

/** The largest single amount in the currency's minor units (1e9 paise = 1 crore for INR). */
export function maxAmountMinor(currency: string): number {
  return MAX_MAJOR_UNITS * minorPerMajor(currency);
}

/** The problem with a currency code as input, or null when it is one. */
export function describeCurrency(code: unknown): string | null {
  if (typeof code !== "string" || !CODE.test(code)) {
    return "must be an ISO 4217 currency code (three capital letters, e.g. INR)";
  }
  return knownCodes().has(code) ? null : `${code} is not an ISO 4217 currency code`;
}

/**
 * Parses a decimal amount (a JSON number by its text, or a string) into minor units of
 * `currency`, with at most its minor digits: "100.50" USD → 10050, "100" JPY → 100, "100.0"
 * JPY → refused, "1.234" KWD → 1234. The sign is kept; limits are `describeAmount`'s.
 */
export function parseAmount(input: string | number, currency: string): ParseResult {
  return parseDecimalPlaces(input, minorDigits(currency));
}

/**
 * The problem with an amount of minor units as an expense or settlement amount: more than 0 and
 * at most MAX_MAJOR_UNITS major units. Null when it is fine.
 */
export function describeAmount(minor: number, currency: string): string | null {
  if (!Number.isSafeInteger(minor)) return "must be a whole number of minor units";
  if (minor <= 0) return "must be greater than 0";
  const max = maxAmountMinor(currency);
  if (minor > max) return `must be at most ${formatMinor(max, currency)} ${currency}`;
  return null;
}

/** Plain decimal text with the currency's digits, no grouping: 150050 INR → "1500.50", JPY 5 → "5". */
export function formatMinor(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor))
    throw new RangeError(`not a whole number of minor units: ${minor}`);
  const digits = minorDigits(currency);
  const abs = Math.abs(minor);
  const sign = minor < 0 ? "-" : "";
  if (digits === 0) return `${sign}${abs}`;
  const text = String(abs).padStart(digits + 1, "0");
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * For JSON responses only: the exact decimal text read back as a number (333400 INR → 3334,
 * 1500 KWD → 1.5, 1000 JPY → 1000). The double nearest to a decimal of at most 16 significant
 * digits serialises back to that decimal, so clients see the exact value.
 */
export function toMajor(minor: number, currency: string): number {
  return Number(formatMinor(minor, currency));
}

const formatters = new Map<string, Intl.NumberFormat>();

/** INR is shown the Indian way (lakh/crore grouping), everything else in en-US. */
const localeFor = (currency: string) => (currency === "INR" ? "en-IN" : "en-US");

/**
 * For display: ₹1,00,000.00, $1,000.00, ¥1,000, KWD 1.250 (Intl's symbol for the currency).
 * Formatters are cached per currency. The value goes through the exact decimal text, which Intl
 * formats as a decimal string (no float rounding).
 */
export function formatMoney(minor: number, currency: string): string {
  let f = formatters.get(currency);
  if (!f) {
    assertCode(currency);
    f = new Intl.NumberFormat(localeFor(currency), { style: "currency", currency });
    formatters.set(currency, f);
  }
  // Intl accepts a decimal string ("StringNumericLiteral") and formats it exactly.
  return f.format(formatMinor(minor, currency) as unknown as number);
}

/**
 * The currency's symbol as `formatMoney` writes it: INR "₹", USD "$", JPY "¥", KWD "KWD"; text
 * that is not a code comes back as it is (a form re-shown with a bad value).
 */
export function currencySymbol(currency: string): string {
  if (!isCurrencyCode(currency)) return currency;
  const parts = new Intl.NumberFormat(localeFor(currency), { style: "currency", currency });
  return parts.formatToParts(0).find((p) => p.type === "currency")?.value ?? currency;
}

/** A positive decimal rate as an exact fraction: "83.1234" → 831234 / 10000. */
export interface Rational {
  num: bigint;
  den: bigint;
}

const RATE = /^([0-9]+)(?:\.([0-9]+))?$/;
export const MAX_RATE_DIGITS = 30;

/** "83.1234" → {num: 831234n, den: 10000n}; null unless a positive plain decimal. */
export function parseRate(text: string): Rational | null {
  const m = RATE.exec(text);
  if (!m || text.length > MAX_RATE_DIGITS) return null;
  const frac = m[2] ?? "";
  const num = BigInt(`${m[1]}${frac}`);
  if (num === 0n) return null;
  return { num, den: 10n ** BigInt(frac.length) };
}

/** The problem with an exchange rate as input (a decimal string), or null. */
export function describeRate(text: unknown): string | null {
  if (typeof text !== "string" || parseRate(text) === null) {
    return `must be a positive decimal number as a string (e.g. "83.25"), at most ${MAX_RATE_DIGITS} characters`;
  }
  return null;
}

/** a / b rounded half away from zero (half up in size) to an integer; b > 0. */
export function divRoundHalfUp(a: bigint, b: bigint): bigint {
  const neg = a < 0n;
  const abs = neg ? -a : a;
  const q = (2n * abs + b) / (2n * b);
  return neg ? -q : q;
}

/**
 * `minor` units of `from` at `rate` (1 unit of `from` = rate units of `to`), in minor units of
 * `to`, rounded half up (in size) to `to`'s minor unit, exactly:
 *   minor × rate × 10^digits(to) / 10^digits(from).
 * 100.00 USD at "83.125" INR → 8312.50 INR (831250); 1000 JPY at "0.00555" EUR → 5.55 EUR.
 * Throws RangeError for a rate that does not parse or a result beyond a safe integer.
 */
export function bookAtRate(minor: number, from: string, rate: string, to: string): number {
  const r = parseRate(rate);
  if (r === null) throw new RangeError(`not a rate: ${rate}`);
  return convertMinor(minor, from, r, to);
}

/** `bookAtRate` with the rate as a fraction (as FX tables compute it). */
export function convertMinor(minor: number, from: string, rate: Rational, to: string): number {
  if (!Number.isSafeInteger(minor))
    throw new RangeError(`not a whole number of minor units: ${minor}`);
  const num = BigInt(minor) * rate.num * 10n ** BigInt(minorDigits(to));
  const den = rate.den * 10n ** BigInt(minorDigits(from));
  const out = divRoundHalfUp(num, den);
  if (out > BigInt(Number.MAX_SAFE_INTEGER) || out < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError("converted amount is too large");
  }
  return Number(out);
}
