import type { ExpenseContent } from "../db/repos/expenses.js";
import { DATE_RANGE_MESSAGE, isDateInRange } from "../domain/dates.js";
import { type FieldIssue, RuleViolation } from "../domain/errors.js";
import { parseDecimal2 } from "../domain/money.js";
import { type SplitSpec, type SplitType, splitExpense, splitIssues } from "../domain/split.js";

// An expense as the API and the pages submit it, validated (purely) into what the ledger stores.

export type Decimal = string | number;

/** An expense as the API receives it (field names are the API's, so errors can name them). */
export interface ExpenseInput {
  paid_by: number;
  amount: Decimal;
  split_type: SplitType;
  participants: number[];
  split_values?: Decimal[] | undefined;
  description: string;
  date?: string | undefined;
  currency?: string | undefined;
  /** The group it belongs to; absent (or null) between friends. */
  group_id?: number | null | undefined;
}

export const SUPPORTED_CURRENCIES = ["INR"] as const;

function parseValues(values: Decimal[], field: string, issues: FieldIssue[]): number[] {
  return values.map((v, i) => {
    const r = parseDecimal2(v);
    if (r.ok) return r.value;
    issues.push({ field: `${field}[${i}]`, message: r.message });
    return 0;
  });
}

/** Validates an expense and computes its shares: pure, no I/O. Throws RuleViolation. */
export function toExpenseContent(input: ExpenseInput, today: string): ExpenseContent {
  const issues: FieldIssue[] = [];
  const amount = parseDecimal2(input.amount);
  if (!amount.ok) issues.push({ field: "amount", message: amount.message });
  const currency = input.currency ?? "INR";
  if (!(SUPPORTED_CURRENCIES as readonly string[]).includes(currency)) {
    issues.push({
      field: "currency",
      message: `only ${SUPPORTED_CURRENCIES.join(", ")} is supported`,
    });
  }
  if (input.date !== undefined && !isDateInRange(input.date))
    issues.push({ field: "date", message: DATE_RANGE_MESSAGE });
  let spec: SplitSpec = { type: "EQUAL" };
  const before = issues.length;
  if (input.split_type === "EQUAL") {
    if (input.split_values !== undefined) {
      issues.push({ field: "split_values", message: "must be omitted for an EQUAL split" });
    }
  } else if (input.split_values === undefined) {
    issues.push({ field: "split_values", message: `is required for a ${input.split_type} split` });
  } else {
    const values = parseValues(input.split_values, "split_values", issues);
    spec =
      input.split_type === "EXACT"
        ? { type: "EXACT", amounts: values }
        : { type: "PERCENTAGE", basisPoints: values };
  }
  if (issues.length > 0 || !amount.ok) {
    // Every problem at once: the split's own checks run on whatever did parse.
    const valuesOk = issues.length === before;
    const split = splitIssues(
      amount.ok ? amount.value : null,
      input.participants,
      valuesOk ? spec : null,
    );
    throw new RuleViolation("The expense is not valid", [...issues, ...split]);
  }
  const shares = splitExpense(amount.value, input.participants, spec);
  const splitValues =
    spec.type === "EXACT" ? spec.amounts : spec.type === "PERCENTAGE" ? spec.basisPoints : null;
  return {
    description: input.description,
    amount: amount.value,
    currency,
    splitType: input.split_type,
    date: input.date ?? today,
    groupId: input.group_id ?? null,
    payers: [{ userId: input.paid_by, amount: amount.value }],
    shares: shares.map((s, i) => ({
      ...s,
      splitValue: splitValues ? (splitValues[i] ?? null) : null,
    })),
  };
}
