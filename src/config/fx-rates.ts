import { z } from "zod";
import { cronExpression } from "./cron.js";
import { blankToUndefined as blank } from "./fields.js";

/**
 * Settings of the daily exchange-rates download (README "Currencies and exchange rates"). Without
 * FX_RATES_URL nothing is downloaded: rates come from `npm run rates -- FILE` only.
 */
export const fxRatesConfigSchema = z.object({
  /** An ECB reference-rates file (XML or CSV) the worker downloads daily; http(s) only. */
  FX_RATES_URL: z.preprocess(
    blank,
    z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  ),
  /** When it is downloaded: cron (5 fields) in UTC; the ECB publishes around 16:00 CET. */
  FX_RATES_CRON: z.preprocess(blank, cronExpression("0 16 * * *")),
  /** The whole download (connecting to the last byte) is abandoned after this long. */
  FX_RATES_TIMEOUT_MS: z.preprocess(
    blank,
    z.coerce.number().int().min(1000).max(600_000).default(30_000),
  ),
});

export type FxRatesConfig = z.infer<typeof fxRatesConfigSchema>;
