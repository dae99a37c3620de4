import { z } from "zod";
import { Amount, Id } from "./common.js";

export const BalancesQuery = z.object({
  simplify: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .describe("Settle the same net position with the fewest transfers"),
});

/** Names only: a simplified plan may name people you do not know yet (never email or mobile). */
const PersonName = z.string().describe("Their name (only the name: they may not know you yet)");

export const Balances = z
  .object({
    userid: Id,
    balances: z
      .array(z.object({ to_user: Id, name: PersonName, amount: Amount }))
      .describe("Whom the user owes"),
    owed_by: z
      .array(z.object({ from_user: Id, name: PersonName, amount: Amount }))
      .describe("Who owes the user"),
    net: Amount.describe("Owed to the user minus owed by the user"),
    simplified: z.boolean(),
  })
  .meta({ id: "Balances" });
