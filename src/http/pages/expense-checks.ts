import { parseAmountText } from "../../domain/amount-text.js";
import { describeCurrency, formatMinor } from "../../domain/currency.js";
import { type FieldIssue, RuleViolation } from "../../domain/errors.js";
import { formatPaise, type ParseResult } from "../../domain/money.js";
import type { ExpenseDefaults } from "../../services/expense-input.js";
import { type ExpenseInput, toExpenseContent } from "../../services/expenses.js";
import { withRuleIssues } from "../schemas/expense-checks.js";
import { ExpenseBody } from "../schemas/expenses.js";
import { SOLO_MESSAGE, type Submitted, soloIssue } from "./expense-form.js";
import { extraOf, readItems } from "./expense-items.js";
import { payerIdsOf } from "./expense-payers.js";
import { signedText } from "./expense-preview.js";
import { zodIssues } from "./forms.js";

/**
 * Every problem of a submitted expense form at once (issue 18): the amounts as people type them
 * ("₹1,00,000.50"), the API's schema, the business rules and the pages' own rule (someone to
 * share with). A field's first problem wins: "1,0,0" is a grouping problem, not also "not a
 * decimal number".
 */

const CHECKED = withRuleIssues(ExpenseBody);

/**
 * Form text → the API's strict decimal in the currency's digits, or the form's own message.
 * Percentages and weights are not money: 2 decimals in any currency.
 */
function amountOf(text: string, type: string, currency: string): ParseResult {
  if (type === "PERCENTAGE") return parseAmountText(text.trim().replace(/\s*%$/, ""), currency, 2);
  if (type === "SHARES") return parseAmountText(text, currency, 2);
  if (type === "ADJUSTMENT") return parseAmountText(signedText(text), currency);
  return parseAmountText(text, currency);
}

/** Minor units (or hundredths, for percentages and weights) → the API's decimal text. */
const decimalOf = (value: number, type: string, currency: string) =>
  type === "PERCENTAGE" || type === "SHARES" ? formatPaise(value) : formatMinor(value, currency);

export function expenseFormIssues(
  s: Submitted,
  order: number[],
  rowOrder: number[],
  defaults: ExpenseDefaults,
): { issues: FieldIssue[]; input: ExpenseInput | null } {
  const issues: FieldIssue[] = [];
  // No currency posted: the one the service would choose (the group's, else APP_CURRENCY).
  if (!s.view.currency) s.view.currency = defaults.currency;
  const chosen = s.view.currency;
  const problem = describeCurrency(chosen);
  if (problem) issues.push({ field: "currency", message: problem });
  // Amounts of an unknown currency are read with 2 digits, so their own problems still show.
  const currency = problem ? "INR" : chosen;
  s.input.currency = chosen;
  if (s.view.exchange_rate && chosen === defaults.groupCurrency) {
    // The rate box is for another currency than the group's: ignored for its own.
    delete s.input.exchange_rate;
  }
  const amount = amountOf(s.view.amount, "", currency);
  if (amount.ok) s.input.amount = formatMinor(amount.value, currency);
  else
    issues.push({
      field: "amount",
      message: s.view.amount.trim() === "" ? "enter the amount, e.g. 1,250.50" : amount.message,
    });
  // By item: the filled rows are the items, and their people the participants (left out).
  const itemized = s.view.split_type === "ITEMIZED";
  let shared = order;
  if (itemized) {
    delete s.input.participants;
    const read = readItems(s.items, rowOrder, currency);
    issues.push(...read.issues);
    s.input.items = read.items;
    shared = [...new Set(read.items.flatMap((i) => i.participants))];
    for (const field of ["tax", "tip"] as const) {
      const v = extraOf(s.view[field] ?? "", field, issues, currency);
      if (v !== null) s.input[field] = v;
    }
  } else s.input.participants = order;
  if (s.input.payers) {
    s.input.payers = payerIdsOf(rowOrder, s.paidText).map((id, i) => {
      const text = s.paidText(id);
      const r = amountOf(text, "", currency);
      if (r.ok) return { userid: id, amount: formatMinor(r.value, currency) };
      issues.push({ field: `payers[${i}].amount`, message: r.message });
      return { userid: id, amount: text };
    });
  }
  if (s.input.split_values) {
    s.input.split_values = order.map((id, i) => {
      const text = s.shareText(id);
      const r = amountOf(text, s.view.split_type, currency);
      if (r.ok) return decimalOf(r.value, s.view.split_type, currency);
      issues.push({ field: `split_values[${i}]`, message: text === "" ? "is empty" : r.message });
      return text;
    });
  }
  const seen = new Set(issues.map((i) => i.field));
  const parsed = CHECKED.safeParse(s.input);
  let later: FieldIssue[];
  if (!parsed.success) later = zodIssues(parsed.error);
  else {
    later = [];
    try {
      toExpenseContent(parsed.data, "2000-01-01", defaults);
    } catch (err) {
      if (!(err instanceof RuleViolation)) throw err;
      later = err.issues;
    }
  }
  // The pages' own rule joins the rest whenever the payer and the people are readable.
  const paidBy = s.input.paid_by;
  const solo =
    typeof paidBy === "number" && Number.isSafeInteger(paidBy) && shared.length > 0
      ? soloIssue({ paid_by: paidBy, participants: shared })
      : null;
  // By item, the people are ticked on the items: the message goes there.
  const soloField = itemized ? "items" : "participants";
  if (solo && !later.some((i) => i.field === soloField))
    later.push({ field: soloField, message: SOLO_MESSAGE });
  issues.push(...later.filter((i) => !seen.has(i.field)));
  return { issues, input: parsed.success && issues.length === 0 ? parsed.data : null };
}

/** The form's top-to-bottom order, so the summary reads like the form. */
const ORDER = [
  "description",
  "category",
  "amount",
  "currency",
  "exchange_rate",
  "date",
  "paid_by",
  "payers",
  "split_type",
  "items",
  "tax",
  "tip",
  "participants",
  "split_values",
  "email",
  "name",
  "invite_name",
  "notes",
];
const rank = (field: string) => {
  const i = ORDER.indexOf(/^[^[.]+/.exec(field)?.[0] ?? field);
  return i < 0 ? ORDER.length : i;
};

export const inFormOrder = (issues: FieldIssue[]): FieldIssue[] =>
  [...issues].sort((x, y) => rank(x.field) - rank(y.field));
