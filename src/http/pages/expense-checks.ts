import { parseAmountText } from "../../domain/amount-text.js";
import { type FieldIssue, RuleViolation } from "../../domain/errors.js";
import { formatPaise, type ParseResult } from "../../domain/money.js";
import { type ExpenseInput, toExpenseContent } from "../../services/expenses.js";
import { withRuleIssues } from "../schemas/expense-checks.js";
import { ExpenseBody } from "../schemas/expenses.js";
import { SOLO_MESSAGE, type Submitted, signedText, soloIssue } from "./expense-form.js";
import { extraOf, readItems } from "./expense-items.js";
import { payerIdsOf } from "./expense-payers.js";
import { zodIssues } from "./forms.js";

/**
 * Every problem of a submitted expense form at once (issue 18): the amounts as people type them
 * ("₹1,00,000.50"), the API's schema, the business rules and the pages' own rule (someone to
 * share with). A field's first problem wins: "1,0,0" is a grouping problem, not also "not a
 * decimal number".
 */

const CHECKED = withRuleIssues(ExpenseBody);

/** Form text → the API's strict decimal, or the form's own message. */
function amountOf(text: string, type: string): ParseResult {
  if (type === "PERCENTAGE") return parseAmountText(text.trim().replace(/\s*%$/, ""));
  if (type === "ADJUSTMENT") return parseAmountText(signedText(text));
  return parseAmountText(text);
}

export function expenseFormIssues(
  s: Submitted,
  order: number[],
  rowOrder: number[],
): { issues: FieldIssue[]; input: ExpenseInput | null } {
  const issues: FieldIssue[] = [];
  const amount = amountOf(s.view.amount, "");
  if (amount.ok) s.input.amount = formatPaise(amount.value);
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
    const read = readItems(s.items, rowOrder);
    issues.push(...read.issues);
    s.input.items = read.items;
    shared = [...new Set(read.items.flatMap((i) => i.participants))];
    for (const field of ["tax", "tip"] as const) {
      const v = extraOf(s.view[field] ?? "", field, issues);
      if (v !== null) s.input[field] = v;
    }
  } else s.input.participants = order;
  if (s.input.payers) {
    s.input.payers = payerIdsOf(rowOrder, s.paidText).map((id, i) => {
      const text = s.paidText(id);
      const r = amountOf(text, "");
      if (r.ok) return { userid: id, amount: formatPaise(r.value) };
      issues.push({ field: `payers[${i}].amount`, message: r.message });
      return { userid: id, amount: text };
    });
  }
  if (s.input.split_values) {
    s.input.split_values = order.map((id, i) => {
      const text = s.shareText(id);
      const r = amountOf(text, s.view.split_type);
      if (r.ok) return formatPaise(r.value);
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
      toExpenseContent(parsed.data, "2000-01-01");
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
  "amount",
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
];
const rank = (field: string) => {
  const i = ORDER.indexOf(/^[^[.]+/.exec(field)?.[0] ?? field);
  return i < 0 ? ORDER.length : i;
};

export const inFormOrder = (issues: FieldIssue[]): FieldIssue[] =>
  [...issues].sort((x, y) => rank(x.field) - rank(y.field));
