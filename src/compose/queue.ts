import { sqsPublisher } from "../aws/sqs-publisher.js";
import type { Config } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import { startRatesSchedule, stopRatesSchedule } from "../notifications/rates-schedule.js";
import {
  type Log,
  type NotificationRuntime,
  type QueueRuntime,
  startNotifications,
  startSqsRelay,
} from "../notifications/runtime.js";
import { refreshRates } from "../services/fx-rates.js";
import { createMailer } from "./mailer.js";

/** The pipeline QUEUE selects: pg-boss with the local worker (default) or the relay to SQS. */
export async function startQueue(
  handle: DatabaseHandle,
  config: Config,
  log: Log,
): Promise<QueueRuntime> {
  if (config.QUEUE !== "sqs") {
    const runtime = await startNotifications(handle, config, log, createMailer(config));
    return withRatesSchedule(runtime, handle, config, log);
  }
  if (!config.SQS_QUEUE_URL) throw new Error("QUEUE=sqs needs SQS_QUEUE_URL");
  const publisher = sqsPublisher({
    queueUrl: config.SQS_QUEUE_URL,
    region: config.AWS_REGION,
    warn: (obj, msg) => log.error(obj, msg),
  });
  // On AWS (QUEUE=sqs) the rates download is a scheduled Lambda of its own (src/lambda/fx-rates.ts).
  return startSqsRelay(handle, config, log, publisher);
}

/** The daily FX_RATES_URL download on the worker's pg-boss, when it is set. */
async function withRatesSchedule(
  runtime: NotificationRuntime,
  handle: DatabaseHandle,
  config: Config,
  log: Log,
): Promise<NotificationRuntime> {
  const url = config.FX_RATES_URL;
  if (!url) {
    await stopRatesSchedule(runtime.boss);
    return runtime;
  }
  const rates = await startRatesSchedule(runtime.boss, handle.db, {
    cron: config.FX_RATES_CRON,
    refresh: () => refreshRates(handle.db, url, { timeoutMs: config.FX_RATES_TIMEOUT_MS }),
    pollMs: config.WORKER_POLL_SECONDS * 1000,
    log,
  });
  log.info({ url, cron: config.FX_RATES_CRON }, "exchange rates download scheduled (UTC)");
  return {
    ...runtime,
    async stop() {
      await rates.stop(); // before pg-boss stops, like the other consumers
      await runtime.stop();
    },
  };
}
