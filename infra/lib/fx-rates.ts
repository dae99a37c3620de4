import { Duration, aws_scheduler as scheduler, TimeZone } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { bundledFunction, type FunctionProps, InvokeFunction } from "./lambdas.js";

/** The daily exchange-rates download (`-c fxRatesUrl=…`): off unless a URL is given. */
export interface FxRatesSchedule {
  /** An ECB reference-rates file, e.g. https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml */
  url: string;
  /** When, in UTC (default 16:00, after the ECB publishes around 16:00 CET). */
  minute?: string;
  hour?: string;
}

/** `-c fxRatesUrl=…` is checked at synth, as the app checks FX_RATES_URL at start-up. */
export function checkRatesUrl(url: string): string {
  let protocol = "";
  try {
    protocol = new URL(url).protocol;
  } catch {
    // refused below
  }
  if (protocol !== "http:" && protocol !== "https:")
    throw new Error(`-c fxRatesUrl=${url}: must be an http:// or https:// URL`);
  return url;
}

/**
 * The AWS counterpart of the worker's pg-boss cron (the web app runs no worker with QUEUE=sqs):
 * an EventBridge Scheduler cron invokes src/lambda/fx-rates.ts daily, retried twice on failure.
 * The Lambda may only read the database secret; it reaches the rates URL through the app
 * subnets' NAT, like the mail Lambdas reach SES.
 */
export function createRatesLambda(scope: Construct, o: FunctionProps, rates: FxRatesSchedule) {
  const fn = bundledFunction(scope, o, "FxRates", "src/lambda/fx-rates.ts", Duration.minutes(2), {
    FX_RATES_URL: checkRatesUrl(rates.url),
    FX_RATES_TIMEOUT_MS: "30000",
  });
  o.dbSecret.grantRead(fn);
  new scheduler.Schedule(scope, "FxRatesSchedule", {
    description: "Evenly daily exchange rates (ECB euro reference rates)",
    schedule: scheduler.ScheduleExpression.cron({
      minute: rates.minute ?? "0",
      hour: rates.hour ?? "16",
      timeZone: TimeZone.ETC_UTC,
    }),
    target: new InvokeFunction(fn, { retryAttempts: 2 }),
  });
  return fn;
}
