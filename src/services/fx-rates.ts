import type { Database } from "../db/client.js";
import { type FxRateRow, upsertFxRates } from "../db/repos/fx-rates.js";
import { inTransaction } from "../db/transaction.js";
import { MalformedRates, parseEcbRates } from "../domain/fx-rates.js";

/** What a load stored: how many days and rates, the span of days and the currencies. */
export interface RatesStored {
  days: number;
  rates: number;
  /** YYYY-MM-DD of the oldest and newest day in the file. */
  oldest: string;
  newest: string;
  currencies: string[];
}

/**
 * Reads an ECB reference-rates file (XML or CSV, told apart by its content) and stores every
 * rate in one transaction: a file that does not parse (MalformedRates, naming where) or holds
 * no usable rate stores nothing. Days already stored are replaced.
 */
export async function loadEcbRates(db: Database, text: string): Promise<RatesStored> {
  const tables = parseEcbRates(text);
  const rows: FxRateRow[] = tables.flatMap((t) =>
    [...t.rates].map(([currency, rate]) => ({ currency, rateDate: t.asOf, rate })),
  );
  if (rows.length === 0)
    throw new MalformedRates("The exchange-rates file is not valid", [
      { field: "file", message: "has no rate of a current currency" },
    ]);
  await inTransaction(db, (tx) => upsertFxRates(tx, rows));
  return {
    days: tables.length,
    rates: rows.length,
    oldest: tables.at(-1)?.asOf as string,
    newest: tables[0]?.asOf as string,
    currencies: [...new Set(rows.map((r) => r.currency))].sort(),
  };
}

/** A rates download that failed: unreachable, too slow, an HTTP error or too large. */
export class RatesFetchFailed extends Error {
  override readonly name = "RatesFetchFailed";
}

/** The ECB's full history XML is about 7 MB; anything far larger is not a rates file. */
export const MAX_RATES_BYTES = 32 * 1024 * 1024;

/**
 * GETs a rates file with a client-side limit on the whole exchange (`timeoutMs`, connecting to
 * the last byte) and on its size, so a slow or endless server cannot hold the worker.
 */
export async function fetchRatesText(
  url: string,
  opts: { timeoutMs: number; maxBytes?: number },
): Promise<string> {
  const maxBytes = opts.maxBytes ?? MAX_RATES_BYTES;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(url, { signal, redirect: "follow" });
    if (!res.ok) {
      await res.body?.cancel();
      throw new RatesFetchFailed(`GET ${url} answered HTTP ${res.status}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += chunk.byteLength;
      if (size > maxBytes)
        throw new RatesFetchFailed(`GET ${url}: the answer is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
  } catch (err) {
    if (err instanceof RatesFetchFailed) throw err;
    if (signal.aborted)
      throw new RatesFetchFailed(`GET ${url} took longer than ${opts.timeoutMs} ms`);
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new RatesFetchFailed(`GET ${url} failed: ${cause}`);
  }
}

/** Downloads the rates file at `url` and stores it (the worker's daily job, the rates Lambda). */
export async function refreshRates(
  db: Database,
  url: string,
  opts: { timeoutMs: number },
): Promise<RatesStored> {
  return loadEcbRates(db, await fetchRatesText(url, opts));
}
