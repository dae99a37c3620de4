import { z } from "zod";
import { Amount, CurrencyAmountOut, CurrencyCode, Id } from "./common.js";
import { ConvertedNetBody, ConvertToQuery } from "./conversion.js";

export const BalancesQuery = z.object({
  simplify: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .describe("Settle the same net position with the fewest transfers"),
  ...ConvertToQuery.shape,
});

/** Names only: a simplified plan may name people you do not know yet (never email or mobile). */
const PersonName = z.string().describe("Their name (only the name: they may not know you yet)");

export const Balances = z
  .object({
    userid: Id,
    balances: z
      .array(z.object({ to_user: Id, name: PersonName, amount: Amount, currency: CurrencyCode }))
      .describe(
        "Whom the user owes, one entry per person and currency (currencies are never added together)",
      ),
    owed_by: z
      .array(z.object({ from_user: Id, name: PersonName, amount: Amount, currency: CurrencyCode }))
      .describe("Who owes the user, one entry per person and currency"),
    net: Amount.describe("Owed to the user minus owed by the user, in APP_CURRENCY"),
    nets: z
      .array(CurrencyAmountOut)
      .describe("The net in every currency where it is not zero, by currency code"),
    simplified: z.boolean(),
    converted: ConvertedNetBody.optional().describe(
      "Only with ?convert_to: nets converted into that currency and added up, for viewing",
    ),
  })
  .meta({ id: "Balances" });
