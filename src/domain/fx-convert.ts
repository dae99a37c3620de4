/**
 * Converting totals for viewing (`?convert_to=EUR`): amounts in several currencies, each in its
 * minor units, summed into one currency through the euro reference rates. Exact: every amount is
 * converted as a bigint fraction, the fractions are added, and the sum is rounded once, half up
 * (away from zero) to the target's minor unit. No float is ever involved.
 */
import {
  divRoundHalfUp,
  isCurrencyCode,
  minorDigits,
  parseRate,
  type Rational,
} from "./currency.js";
import { RuleViolation } from "./errors.js";

/** An amount of one currency, in its minor units (a balance, a net). */
export interface CurrencyAmount {
  currency: string;
  amount: number;
}

/** 1 EUR = `rate` units of a currency (exact decimal text), as published on `asOf` (YYYY-MM-DD). */
export interface EuroRate {
  rate: string;
  asOf: string;
}

/** The rates at hand, by currency code. EUR needs none (1 EUR = 1 EUR). */
export type EuroRates = ReadonlyMap<string, EuroRate>;

export type SumResult =
  /** `ratesAsOf`: the oldest publication date among the rates used; null when none was needed. */
  | { ok: true; amount: number; ratesAsOf: string | null }
  /** The currencies (sorted) whose rate was needed but is not at hand. */
  | { ok: false; missing: string[] };

/**
 * Converting to `target` needs no rate for amounts of 0 or already in `target`; every other
 * amount needs its currency's rate, and then `target`'s rate too. EUR never needs one.
 */
export function currenciesNeeded(amounts: readonly CurrencyAmount[], target: string): string[] {
  const needed = new Set<string>();
  for (const a of amounts) if (a.amount !== 0 && a.currency !== target) needed.add(a.currency);
  if (needed.size > 0) needed.add(target);
  needed.delete("EUR");
  return [...needed].sort();
}

const ONE: Rational = { num: 1n, den: 1n };

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** a + b, reduced (keeps the numbers small over many currencies); denominators stay positive. */
function add(a: Rational, b: Rational): Rational {
  const num = a.num * b.den + b.num * a.den;
  const den = a.den * b.den;
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

/**
 * `amounts` summed into `target`'s minor units through the euro: Σ amount × rate(target) /
 * rate(currency) × 10^digits(target) / 10^digits(currency), exactly, rounded half up once.
 * Reports every currency without a rate instead of converting. `target` must be an ISO code
 * (callers validate it: RangeError otherwise); a source currency that is not one has no rate.
 * 100.00 USD + 1000 JPY into INR at 1 EUR = 1.0686 USD = 168.16 JPY = 89.2345 INR:
 * 8350.5989… + 530.6523… = 8881.2512… → 8881.25 INR (888125).
 */
export function sumInto(
  rates: EuroRates,
  amounts: readonly CurrencyAmount[],
  target: string,
): SumResult {
  if (!isCurrencyCode(target)) throw new RangeError(`not an ISO 4217 currency code: ${target}`);
  const needed = currenciesNeeded(amounts, target);
  const parsed = new Map<string, Rational>([["EUR", ONE]]);
  const missing: string[] = [];
  let oldest: string | null = null;
  for (const code of needed) {
    const quote = isCurrencyCode(code) ? rates.get(code) : undefined;
    const rate = quote ? parseRate(quote.rate) : null;
    if (!quote || !rate) {
      missing.push(code);
      continue;
    }
    parsed.set(code, rate);
    if (oldest === null || quote.asOf < oldest) oldest = quote.asOf;
  }
  if (missing.length > 0) return { ok: false, missing };

  const toDigits = 10n ** BigInt(minorDigits(target));
  let sum: Rational = { num: 0n, den: 1n };
  for (const { currency, amount } of amounts) {
    if (!Number.isSafeInteger(amount))
      throw new RangeError(`not a whole number of minor units: ${amount}`);
    if (amount === 0) continue;
    if (currency === target) {
      sum = add(sum, { num: BigInt(amount), den: 1n });
      continue;
    }
    const from = parsed.get(currency) as Rational;
    const to = parsed.get(target) as Rational;
    // amount / 10^d(from) major units of `from` = that / rate(from) EUR = that × rate(to) of `to`.
    sum = add(sum, {
      num: BigInt(amount) * from.den * to.num * toDigits,
      den: 10n ** BigInt(minorDigits(currency)) * from.num * to.den,
    });
  }
  const out = divRoundHalfUp(sum.num, sum.den);
  if (out > BigInt(Number.MAX_SAFE_INTEGER) || out < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError("converted amount is too large");
  return { ok: true, amount: Number(out), ratesAsOf: oldest };
}

/** Converting needs rates that are not loaded (HTTP 422 naming each currency). */
export class MissingRates extends RuleViolation {
  constructor(
    readonly currencies: string[],
    readonly target: string,
  ) {
    super(
      `No exchange rate for ${currencies.join(", ")}: cannot convert to ${target}`,
      currencies.map((c) => ({ field: "convert_to", message: `no exchange rate for ${c}` })),
    );
  }
}
