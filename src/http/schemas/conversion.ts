import { z } from "zod";
import { describeCurrency, formatMinor } from "../../domain/currency.js";
import type { ConvertedTotal } from "../../services/conversion.js";
import { Amount } from "./common.js";

/**
 * `?convert_to=EUR` on the balance endpoints. Like every query parameter, a malformed value is a
 * 400 naming it (`eur`, `EURO`, `XYZ`: not an ISO 4217 code Intl knows); a real currency without
 * a stored rate is a 422 from the service (MissingRates), naming the currency.
 */
export const ConvertTo = z
  .string()
  .superRefine((code, ctx) => {
    const problem = describeCurrency(code);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({
    description:
      "Also show the totals converted into this ISO 4217 currency, at the newest stored ECB rates",
    examples: ["EUR"],
  });

/** Spread into a balance endpoint's query schema: `BalancesQuery.extend(ConvertToQuery.shape)`. */
export const ConvertToQuery = z.object({ convert_to: ConvertTo.optional() });

export const ConvertedTotalBody = z
  .object({
    currency: z.string().describe("The convert_to currency"),
    amount: Amount.describe("The total in that currency, rounded half up once to its minor unit"),
    rates_as_of: z.iso
      .date()
      .nullable()
      .describe("Publication date of the oldest rate used; null when no rate was needed"),
  })
  .meta({ id: "ConvertedTotal" });

/** The API shape of a converted total (amount as a number with the currency's digits). */
export const presentConvertedTotal = (c: ConvertedTotal): z.infer<typeof ConvertedTotalBody> => ({
  currency: c.currency,
  amount: Number(formatMinor(c.amount, c.currency)),
  rates_as_of: c.ratesAsOf,
});
