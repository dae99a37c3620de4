import { z } from "zod";
import { EARLIEST_DATE, isDateInRange, LATEST_DATE } from "../../domain/dates.js";
import { MAX_CATEGORY, MAX_NOTES } from "../../domain/expense.js";
import {
  Amount,
  CursorQuery,
  DecimalInput,
  Id,
  limitQuery,
  MultiLine,
  SingleLine,
  Text,
} from "./common.js";

export const SplitTypeSchema = z.enum([
  "EQUAL",
  "EXACT",
  "PERCENTAGE",
  "SHARES",
  "ADJUSTMENT",
  "ITEMIZED",
]);

const PayerInput = z.strictObject({ userid: Id, amount: DecimalInput });
const ItemInput = z.strictObject({
  description: z.string().max(1000).describe("One line, at most 200 characters"),
  amount: DecimalInput,
  participants: z.array(Id).max(100_000).describe("Who shares this item (split equally)"),
});

/** The payers, amounts and items of a response: paise as 2-decimal numbers. */
const PayerOut = z.object({ userid: Id, amount: Amount });
const ItemOut = z.object({ description: z.string(), amount: Amount, participants: z.array(Id) });

export const ExpenseBody = z
  .strictObject({
    paid_by: Id.optional().describe(
      "User id of the one payer, who paid it all (need not be a participant). Exactly one of paid_by and payers",
    ),
    payers: z
      .array(PayerInput)
      .max(100_000)
      .optional()
      .describe(
        "Several payers: amounts > 0 (at most 2 decimals), no user twice, adding up exactly to amount",
      ),
    amount: DecimalInput,
    split_type: SplitTypeSchema,
    participants: z
      .array(Id)
      .max(100_000)
      .optional()
      .describe(
        "User ids; at most 1000, no duplicates. Required except for ITEMIZED, where it may be omitted (and if given is exactly the items' participants)",
      ),
    split_values: z
      .array(DecimalInput)
      .max(100_000)
      .optional()
      .describe(
        "Aligned with participants: amounts (EXACT), percentages (PERCENTAGE), weights (SHARES) or signed adjustments (ADJUSTMENT); omitted for EQUAL and ITEMIZED",
      ),
    items: z
      .array(ItemInput)
      .max(100_000)
      .optional()
      .describe("ITEMIZED only: the bill's items, each split equally among its participants"),
    tax: DecimalInput.optional().describe("ITEMIZED only: spread over the item subtotals"),
    tip: DecimalInput.optional().describe("ITEMIZED only: spread over the item subtotals"),
    description: Text(500),
    category: SingleLine(MAX_CATEGORY)
      .nullable()
      .optional()
      .describe(
        `Optional, e.g. "Groceries": one line of at most ${MAX_CATEGORY} characters, trimmed; empty or null for none. PUT without it clears it`,
      ),
    notes: MultiLine(MAX_NOTES)
      .nullable()
      .optional()
      .describe(
        `Optional free text of at most ${MAX_NOTES} characters: line breaks are kept (CR LF as LF), other control characters are refused; trimmed, empty or null for none. PUT without it clears it`,
      ),
    date: z.iso
      .date()
      .optional()
      .describe(`Defaults to today (APP_TIMEZONE); ${EARLIEST_DATE} to ${LATEST_DATE}`),
    currency: z
      .string()
      .max(3)
      .optional()
      .describe(
        "ISO 4217 code (INR, USD, JPY, KWD…); every amount has at most its minor digits (JPY 0, KWD 3). Default: the group's currency in a group, else APP_CURRENCY",
      ),
    exchange_rate: DecimalInput.optional().describe(
      "Only in a group, for an expense in another currency than the group's: 1 unit of `currency` in the group's currency (> 0, at most 10 decimal places, e.g. \"83.125\"). The expense is then booked in the group's currency (amount × rate, rounded half up) and keeps original_amount, original_currency and exchange_rate",
    ),
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
    paid_by: Id.nullable().describe("The payer's id when there is one payer; null when several"),
    amount: Amount,
    currency: z.string().describe("ISO 4217: every amount of the expense is in it"),
    original_amount: Amount.nullable().describe(
      "Entered in another currency and booked in the group's at exchange_rate: the amount as entered (in original_currency); otherwise null",
    ),
    original_currency: z.string().nullable(),
    exchange_rate: z
      .string()
      .nullable()
      .describe("1 unit of original_currency in currency, an exact decimal string; otherwise null"),
    split_type: SplitTypeSchema,
    description: z.string(),
    category: z.string().nullable().describe("As entered; null for none"),
    notes: z.string().nullable().describe("As entered (line feeds kept); null for none"),
    date: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
    created_by: Id.nullable(),
    updated_by: Id.nullable(),
    payers: z.array(PayerOut).describe("Everyone who paid, by user id"),
    participants: z.array(z.object({ userid: Id, amount: Amount })),
    split_values: z
      .array(z.number())
      .nullable()
      .describe("As entered, aligned with participants; null for EQUAL and ITEMIZED"),
    items: z.array(ItemOut).nullable().describe("ITEMIZED: the items as entered; otherwise null"),
    tax: Amount.nullable().describe("ITEMIZED: the tax; otherwise null"),
    tip: Amount.nullable().describe("ITEMIZED: the tip; otherwise null"),
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
