import { z } from "zod";
import { describeCurrency, toMajor } from "../../domain/currency.js";
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
    // For clients; the check itself is describeCurrency's (a code Intl knows, not just the form).
    pattern: "^[A-Z]{3}$",
  });

/** Spread into a balance endpoint's query schema: `BalancesQuery.extend(ConvertToQuery.shape)`. */
export const ConvertToQuery = z.object({ convert_to: ConvertTo.optional() });

const ConvertedCurrency = z.string().describe("The convert_to currency");
const RatesAsOf = z.iso
  .date()
  .nullable()
  .describe(
    "Publication date of the oldest rate used (the conversion is no fresher); null when no rate was needed",
  );

/** `converted` of a user's balances: their nets in every currency, summed into convert_to. */
export const ConvertedNetBody = z
  .object({
    currency: ConvertedCurrency,
    net: Amount.describe(
      "Every one of nets converted into currency and added up, rounded half up once to its minor unit",
    ),
    rates_as_of: RatesAsOf,
  })
  .meta({ id: "ConvertedNet" });

/** `converted` of a group's balances: what each member's `converted_net` is in, and as of when. */
export const ConversionBody = z
  .object({ currency: ConvertedCurrency, rates_as_of: RatesAsOf })
  .meta({ id: "Conversion" });

/** The API shape of a converted net (amount as a number with the currency's digits). */
export const presentConvertedNet = (c: ConvertedTotal): z.infer<typeof ConvertedNetBody> => ({
  currency: c.currency,
  net: toMajor(c.amount, c.currency),
  rates_as_of: c.ratesAsOf,
});
