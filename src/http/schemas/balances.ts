import { z } from "zod";
import { Amount, Id } from "./common.js";

export const BalancesQuery = z.object({
  simplify: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .describe("Settle the same net position with the fewest transfers"),
});

export const Balances = z
  .object({
    userid: Id,
    balances: z.array(z.object({ to_user: Id, amount: Amount })).describe("Whom the user owes"),
    owed_by: z.array(z.object({ from_user: Id, amount: Amount })).describe("Who owes the user"),
    net: Amount.describe("Owed to the user minus owed by the user"),
    simplified: z.boolean(),
  })
  .meta({ id: "Balances" });
