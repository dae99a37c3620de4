import { type Config, loadConfig } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import { type RatesStored, refreshRates } from "../services/fx-rates.js";
import { openLambdaDatabase } from "./context.js";

/** What the rates Lambda holds across warm invocations: no mailer, only the database. */
export interface RatesContext {
  config: Config;
  handle: DatabaseHandle;
}

let ready: Promise<RatesContext> | undefined;

/** Built once per cold start; a failed start is retried next time. */
export function ratesContext(): Promise<RatesContext> {
  ready ??= (async () => {
    const config = loadConfig();
    return { config, handle: await openLambdaDatabase(config) };
  })().catch((err) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

/** Closes the cached context (tests; Lambda itself just freezes the process). */
export async function closeRatesContext(): Promise<void> {
  const ctx = await ready?.catch(() => undefined);
  ready = undefined;
  await ctx?.handle.close();
}

/**
 * Daily exchange rates (EventBridge schedule, the AWS counterpart of the worker's pg-boss cron):
 * downloads FX_RATES_URL and stores every rate in one transaction. A failure (unreachable, too
 * slow, malformed) stores nothing and is thrown, so the invocation fails, is logged and retried;
 * the next day's run tries again anyway.
 */
export function ratesHandler(context: () => Promise<RatesContext>) {
  return async (): Promise<RatesStored> => {
    const { config, handle } = await context();
    if (!config.FX_RATES_URL) throw new Error("the rates Lambda needs FX_RATES_URL");
    const stored = await refreshRates(handle.db, config.FX_RATES_URL, {
      timeoutMs: config.FX_RATES_TIMEOUT_MS,
    });
    console.log(JSON.stringify(stored));
    return stored;
  };
}

export const handler = ratesHandler(ratesContext);
