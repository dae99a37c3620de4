import { z } from "zod";
import { EARLIEST_DATE, isDateInRange, LATEST_DATE } from "../../domain/dates.js";
import { Amount, CursorQuery, DecimalInput, Id, limitQuery, Text } from "./common.js";

export const SplitTypeSchema = z.enum(["EQUAL", "EXACT", "PERCENTAGE"]);

export const ExpenseBody = z
  .strictObject({
    paid_by: Id.describe("User id of the payer (need not be a participant)"),
    amount: DecimalInput,
    split_type: SplitTypeSchema,
    participants: z.array(Id).max(100_000).describe("User ids; at most 1000, no duplicates"),
    split_values: z
      .array(DecimalInput)
      .max(100_000)
      .optional()
      .describe("Amounts (EXACT) or percentages (PERCENTAGE), aligned with participants"),
    description: Text(500),
    date: z.iso
      .date()
      .optional()
      .describe(`Defaults to today (APP_TIMEZONE); ${EARLIEST_DATE} to ${LATEST_DATE}`),
    currency: z.string().max(3).optional().describe("Only INR for now"),
    group_id: Id.nullable()
      .optional()
      .describe(
        "The group it belongs to (every payer and participant a member); absent or null: between friends. PUT without it takes the expense out of its group",
      ),
  })
  .meta({ id: "NewExpense" });

export const Expense = z
  .object({
    expenseid: Id,
    paid_by: Id,
    amount: Amount,
    currency: z.string(),
    split_type: SplitTypeSchema,
    description: z.string(),
    date: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
    created_by: Id.nullable(),
    updated_by: Id.nullable(),
    payers: z.array(z.object({ userid: Id, amount: Amount })),
    participants: z.array(z.object({ userid: Id, amount: Amount })),
    split_values: z.array(z.number()).nullable(),
    group_id: Id.nullable().describe("The group it belongs to; null between friends"),
  })
  .meta({ id: "Expense" });

/** The position in an expense list that an opaque `cursor` carries (a forged one is ignored). */
export const ExpenseCursor = z.object({ date: z.iso.date().refine(isDateInRange), id: Id });

export const ExpenseListQuery = z.object({ cursor: CursorQuery, limit: limitQuery(20, 100) });
export const ExpenseList = z.object({
  items: z.array(Expense),
  next_cursor: z.string().nullable(),
});
