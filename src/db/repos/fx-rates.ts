import { sql } from "drizzle-orm";
import { named, param, toDate } from "../named.js";
import { fxRates } from "../schema.js";
import type { Executor } from "../types.js";

/** 1 EUR = `rate` units of `currency` (decimal text, exactly as stored), for `rateDate`. */
export interface FxRateRow {
  currency: string;
  /** YYYY-MM-DD. */
  rateDate: string;
  rate: string;
}

/** Rows per statement: the statement's text is the same for any count (arrays unnested). */
const CHUNK = 5000;

const upsertRates = named<{ currency: string[]; date: string[]; rate: string[] }>(
  "fx_rates_upsert",
  sql`insert into ${fxRates} (currency, rate_date, rate)
    select * from unnest(${param("currency")}::text[], ${param("date")}::date[], ${param("rate")}::numeric[])
    on conflict (currency, rate_date) do update set rate = excluded.rate, loaded_at = now()`,
);

/**
 * Stores rates, replacing those of the same currency and day (a day reloaded or corrected).
 * Run it inside the caller's transaction so a whole file is stored or none of it.
 */
export async function upsertFxRates(db: Executor, rows: readonly FxRateRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await upsertRates.run(db, {
      currency: chunk.map((r) => r.currency),
      date: chunk.map((r) => r.rateDate),
      rate: chunk.map((r) => r.rate),
    });
  }
}

// One index probe per currency (the primary key read backwards), not a scan of its history.
const newestRates = named<{ currencies: string[] }>(
  "fx_rates_newest",
  sql`select c.currency, r.rate::text as rate, r.rate_date::text as rate_date
    from unnest(${param("currencies")}::text[]) as c(currency)
    cross join lateral (
      select rate, rate_date from ${fxRates} where currency = c.currency
      order by rate_date desc limit 1
    ) r`,
);

/** Each of `currencies`' newest rate (one row per currency that has any; none for EUR). */
export async function newestFxRates(
  db: Executor,
  currencies: readonly string[],
): Promise<FxRateRow[]> {
  if (currencies.length === 0) return [];
  const rows = await newestRates.run(db, { currencies: [...currencies] });
  return rows.map((r) => ({
    currency: String(r.currency),
    rate: String(r.rate),
    rateDate: String(r.rate_date),
  }));
}

const lastLoad = named<Record<string, never>>(
  "fx_rates_last_load",
  sql`select max(loaded_at) as loaded_at, max(rate_date)::text as rate_date from ${fxRates}`,
);

/** When rates were last stored, and the newest day stored (both null before any). */
export async function fxRatesLastLoad(
  db: Executor,
): Promise<{ loadedAt: Date | null; newestDate: string | null }> {
  const [row] = await lastLoad.run(db, {});
  return {
    loadedAt: toDate(row?.loaded_at),
    newestDate: row?.rate_date == null ? null : String(row.rate_date),
  };
}
