import type PgBoss from "pg-boss";
import type { DatabaseHandle } from "../db/client.js";
import { fxRatesLastLoad } from "../db/repos/fx-rates.js";
import { type Consumer, startConsumer } from "./consumer.js";
import type { Log } from "./runtime.js";

/** The daily exchange-rates download (FX_RATES_URL), a pg-boss cron like the weekly summary. */
export const FX_RATES_QUEUE = "fx-rates";

export interface RatesScheduleOptions {
  /** 5-field cron, in UTC (FX_RATES_CRON). */
  cron: string;
  /** Downloads and stores the rates; throwing fails the job, which pg-boss retries. */
  refresh(): Promise<object>;
  pollMs: number;
  log: Log;
  /** Retries of a failed download: 3, after 5, 10 and 20 minutes (tests shorten them). */
  retryLimit?: number;
  retryDelaySeconds?: number;
}

/** Rates stored less than this long ago need no download at start-up. */
const FRESH_MS = 24 * 60 * 60 * 1000;

/**
 * Schedules the download, and runs one at once when no rate was stored in the last day (a new
 * deployment, or a worker that was down at the scheduled time). A failed download is logged and
 * retried by pg-boss, then by the next day's schedule; it never ends the worker. At most one
 * download waits and one runs at a time (queue policy `stately`).
 */
export async function startRatesSchedule(
  boss: PgBoss,
  db: DatabaseHandle["db"],
  opts: RatesScheduleOptions,
): Promise<Consumer> {
  const queue: PgBoss.Queue = {
    name: FX_RATES_QUEUE,
    policy: "stately",
    retryLimit: opts.retryLimit ?? 3,
    retryDelay: opts.retryDelaySeconds ?? 300,
    retryBackoff: true,
    expireInSeconds: 600,
  };
  await boss.createQueue(FX_RATES_QUEUE, queue);
  await boss.updateQueue(FX_RATES_QUEUE, queue);
  await boss.schedule(FX_RATES_QUEUE, opts.cron, {}, { tz: "UTC" });
  const { loadedAt } = await fxRatesLastLoad(db);
  if (!loadedAt || Date.now() - loadedAt.getTime() > FRESH_MS) await boss.send(FX_RATES_QUEUE, {});
  return startConsumer(boss, {
    queue: FX_RATES_QUEUE,
    batchSize: 1,
    pollMs: opts.pollMs,
    onError: (err, context) => opts.log.error({ err }, `${context} failed; will retry`),
    async handle(job) {
      try {
        opts.log.info(await opts.refresh(), "exchange rates stored");
      } catch (err) {
        opts.log.error(
          { err, job: job.id },
          "exchange rates download failed; retried later, and by the next schedule",
        );
        throw err;
      }
    },
  });
}

/** FX_RATES_URL unset: a schedule left from an earlier start must not fill a queue nobody reads. */
export async function stopRatesSchedule(boss: PgBoss): Promise<void> {
  await boss.unschedule(FX_RATES_QUEUE);
}
