import { sql } from "drizzle-orm";
import { check, date, numeric, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Euro reference rates (ECB), for converting totals for viewing: 1 EUR = `rate` units of
 * `currency`, as published for `rate_date`. History is kept (one row per currency per day, a
 * reload of a day replaces its rates); conversions use each currency's newest row. `numeric`
 * keeps the published decimal exactly (read back as text, never as a float).
 */
export const fxRates = pgTable(
  "fx_rates",
  {
    currency: text("currency").notNull(),
    rateDate: date("rate_date", { mode: "string" }).notNull(),
    rate: numeric("rate").notNull(),
    loadedAt: timestamp("loaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // (currency, newest date first) is also the lookup of each currency's newest rate.
    primaryKey({ columns: [t.currency, t.rateDate] }),
    check("fx_rates_currency", sql`${t.currency} ~ '^[A-Z]{3}$' and ${t.currency} <> 'EUR'`),
    check("fx_rates_rate_positive", sql`${t.rate} > 0`),
  ],
);
