import type { Executor } from "../db/client.js";
import { newestFxRates } from "../db/repos/fx-rates.js";
import {
  type CurrencyAmount,
  currenciesNeeded,
  type EuroRates,
  MissingRates,
  sumInto,
} from "../domain/fx-convert.js";

/** A total converted for viewing: minor units of `currency`, at the rates of `ratesAsOf`. */
export interface ConvertedTotal {
  currency: string;
  amount: number;
  /** The oldest publication date (YYYY-MM-DD) among the rates used; null when none was needed. */
  ratesAsOf: string | null;
}

/**
 * Reads, once, the newest stored rate of each currency that converting amounts of `currencies`
 * into `to` can need, and returns the conversion of any list of such amounts (e.g. every
 * member's nets of a group). It throws MissingRates (HTTP 422) naming each currency without a
 * rate; an amount of a currency not given here is a programming error.
 */
export async function converterFor(
  db: Executor,
  currencies: Iterable<string>,
  to: string,
): Promise<(amounts: readonly CurrencyAmount[]) => ConvertedTotal> {
  const known = new Set(currencies);
  const needed = currenciesNeeded(
    [...known].map((currency) => ({ currency, amount: 1 })),
    to,
  );
  const rates: EuroRates = new Map(
    (await newestFxRates(db, needed)).map((r) => [r.currency, { rate: r.rate, asOf: r.rateDate }]),
  );
  return (amounts) => {
    for (const a of amounts)
      if (!known.has(a.currency) && a.currency !== to)
        throw new Error(`converter for ${[...known]} given an amount in ${a.currency}`);
    const result = sumInto(rates, amounts, to);
    if (!result.ok) throw new MissingRates(result.missing, to);
    return { currency: to, amount: result.amount, ratesAsOf: result.ratesAsOf };
  };
}

/**
 * `amounts` (minor units, any currencies) summed into `to` through the euro at each currency's
 * newest stored rate, rounded half up once to `to`'s minor unit. `to` must be an ISO 4217 code
 * (the ConvertToQuery schema checks it). MissingRates (422) names every currency without a rate.
 */
export async function convertTotals(
  db: Executor,
  amounts: readonly CurrencyAmount[],
  to: string,
): Promise<ConvertedTotal> {
  const convert = await converterFor(
    db,
    amounts.map((a) => a.currency),
    to,
  );
  return convert(amounts);
}

/** Several lists of amounts (e.g. each member's nets) converted into one currency. */
export interface ConvertedLists {
  currency: string;
  /** One total per list, in the same order: minor units of `currency`. */
  amounts: number[];
  /** The oldest publication date among every rate used for any list; null when none was needed. */
  ratesAsOf: string | null;
}

/**
 * Each of `lists` summed into `to` (as convertTotals does for one), the rates read once for all.
 * MissingRates (422) names every currency of every list that lacks a rate, not only the first
 * failing list's.
 */
export async function convertEach(
  db: Executor,
  lists: readonly (readonly CurrencyAmount[])[],
  to: string,
): Promise<ConvertedLists> {
  // Zeros need no rate (as in sumInto): they are left out, so no rate is read for them.
  const nonZero = lists.map((l) => l.filter((a) => a.amount !== 0));
  const used = new Set(nonZero.flatMap((l) => l.map((a) => a.currency)));
  const convert = await converterFor(db, used, to);
  // One unit of every currency at once: checks every rate and dates the whole conversion.
  const all = convert([...used].map((currency) => ({ currency, amount: 1 })));
  return {
    currency: to,
    amounts: nonZero.map((l) => convert(l).amount),
    ratesAsOf: all.ratesAsOf,
  };
}
