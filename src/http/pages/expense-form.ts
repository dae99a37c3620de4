import type { FastifyReply, FastifyRequest } from "fastify";
import { currencySymbol, isCurrencyCode } from "../../domain/currency.js";
import { DATE_RANGE_MESSAGE } from "../../domain/dates.js";
import { type FieldIssue, NotFound } from "../../domain/errors.js";
import type { AppContext } from "../../services/context.js";
import { getGroup } from "../../services/groups.js";
import { requireActor } from "../actor.js";
import { currencyOfForm, currencyOptions } from "./currency-choice.js";
import { type ItemRow, itemLabel, itemsShown, itemWording, readItemRows } from "./expense-items.js";
import { payerIdsOf, payerKeyOf, payerModeOf, payerWording } from "./expense-payers.js";
import { previewShares } from "./expense-preview.js";
import { CATEGORY_SUGGESTIONS } from "./expense-text.js";
import { type FormBody, idOf, many, one, placeIssues } from "./forms.js";
import { type ExpenseFormView, type FormPerson, render } from "./views.js";

/** The add/edit expense form: reading it, the people it offers, and showing it with messages. */

const SPLIT_TYPES = ["EQUAL", "EXACT", "PERCENTAGE", "SHARES", "ADJUSTMENT", "ITEMIZED"] as const;
type SplitTypeText = (typeof SPLIT_TYPES)[number];

/** Where the form posts to, and the version an edit applies to. */
export interface FormTarget {
  mode: "new" | "edit";
  action: string;
  expenseId: number | null;
  version: number | null;
}

export const newExpenseTarget: FormTarget = {
  mode: "new",
  action: "/app/expenses/new",
  expenseId: null,
  version: null,
};

/** API field (as the schema and services name it) → form field name. */
function keyOf(field: string, participants: number[], payerIds: number[]): string | null {
  const payer = payerKeyOf(field, payerIds);
  if (payer) return payer;
  const value = /^split_values\[(\d+)\]$/.exec(field);
  if (value) return `value_${participants[Number(value[1])]}`;
  const person = /^participants\[(\d+)\]$/.exec(field);
  if (person) return `row_${participants[Number(person[1])]}`;
  if (field === "participants" || field === "split_values") return "participants";
  if (field === "category" || field === "notes") return field;
  if (
    [
      "amount",
      "description",
      "date",
      "paid_by",
      "split_type",
      "email",
      "currency",
      "exchange_rate",
    ].includes(field)
  )
    return field;
  if (field === "name" || field === "invite_name") return "invite_name";
  return null;
}

const LABELS: Record<string, string> = {
  amount: "Amount",
  currency: "Currency",
  exchange_rate: "Exchange rate",
  description: "Description",
  category: "Category",
  notes: "Notes",
  date: "Date",
  paid_by: "Paid by",
  payers: "Who paid",
  split_type: "Split",
  email: "Add by email",
  invite_name: "Their name",
  participants: "Split between",
  items: "Items",
  tax: "Tax",
  tip: "Tip",
};

/**
 * Friendlier words for the schema's generic type messages; domain messages pass through, sums
 * in the form's currency.
 */
function wording(issue: FieldIssue, currency: string): FieldIssue {
  if (issue.field === "paid_by" && /expected number/.test(issue.message))
    return { ...issue, message: "choose who paid" };
  if (issue.field === "date" && issue.message !== DATE_RANGE_MESSAGE)
    return { ...issue, message: "must be a date such as 2026-11-20" };
  if (issue.field === "split_type") return { ...issue, message: "choose how to split" };
  return itemWording(payerWording(issue, currency), currency);
}

export interface Submitted {
  view: ExpenseFormView["values"];
  input: Record<string, unknown>;
  participants: number[];
  rows: number[];
  checked: Set<number>;
  shareText: (id: number) => string;
  /** "Several people paid": each person's "Paid" box as typed. */
  paidText: (id: number) => string;
  /** "By item": every item row as typed (empty ones too, so rows keep their place). */
  items: ItemRow[];
}

/** The pages' own rule (the API keeps accepting it, as the seed does): a split with someone. */
export const SOLO_MESSAGE =
  "add at least one other person to share this with; an expense only the payer shares changes no balance";

/** An expense shared by nobody but its one payer changes nothing: the form refuses it. */
export function soloIssue(input: { paid_by: number; participants: number[] }): FieldIssue | null {
  const others = input.participants.filter((id) => id !== input.paid_by);
  return others.length === 0 ? { field: "participants", message: SOLO_MESSAGE } : null;
}

/** Form fields → the API's expense body (strings kept as typed: the services parse money). */
export function readExpenseForm(form: FormBody): Submitted {
  const splitText = one(form, "split_type");
  const split_type = (SPLIT_TYPES as readonly string[]).includes(splitText)
    ? (splitText as SplitTypeText)
    : "EQUAL";
  const rows = many(form, "row").map(idOf);
  const checked = new Set(many(form, "participant").map(idOf));
  const participants = rows.filter((id) => checked.has(id));
  const shareText = (id: number) => one(form, `value_${id}`).trim();
  const paidText = (id: number) => one(form, `paid_${id}`).trim();
  const payerMode = payerModeOf(one(form, "payer_mode"));
  const date = one(form, "date").trim();
  const groupText = one(form, "group_id").trim();
  const currency = currencyOfForm(one(form, "currency"));
  const rate = one(form, "exchange_rate").trim();
  const input: Record<string, unknown> = {
    // One payer, or (filled in by expenseFormIssues, in the form's row order) several.
    ...(payerMode === "one" ? { paid_by: idOf(one(form, "paid_by")) } : { payers: [] }),
    amount: one(form, "amount").trim(),
    split_type: splitText,
    participants,
    description: one(form, "description"),
    category: one(form, "category"),
    notes: one(form, "notes"),
    ...(date ? { date } : {}),
    // By item, expenseFormIssues puts the items in place of the people and values.
    ...(split_type === "EQUAL" || split_type === "ITEMIZED"
      ? {}
      : { split_values: participants.map(shareText) }),
    // Added from a group page: the expense goes into that group (the service checks membership).
    ...(groupText ? { group_id: idOf(groupText) } : {}),
    // The chosen currency (the service's default when none), and a rate only when typed.
    ...(currency ? { currency } : {}),
    ...(rate ? { exchange_rate: rate } : {}),
  };
  return {
    view: {
      description: one(form, "description"),
      category: one(form, "category"),
      notes: one(form, "notes"),
      amount: one(form, "amount"),
      date,
      paid_by: one(form, "paid_by"),
      payer_mode: payerMode,
      split_type,
      email: one(form, "email").trim(),
      invite_name: one(form, "invite_name"),
      group_id: groupText,
      tax: one(form, "tax").trim(),
      tip: one(form, "tip").trim(),
      currency,
      exchange_rate: rate,
    },
    input,
    participants,
    rows,
    checked,
    shareText,
    paidText,
    items: readItemRows(form),
  };
}

/** The form's group by name; none when the id is not a group of the viewer's (saving says why). */
async function groupOfForm(ctx: AppContext, text: string | undefined, me: number) {
  const id = idOf(text ?? "");
  if (Number.isNaN(id)) return null;
  try {
    const g = await getGroup(ctx, id, me);
    return { id: g.id, name: g.name, currency: g.currency };
  } catch (err) {
    if (err instanceof NotFound) return null;
    throw err;
  }
}

/** What one showing of the form needs besides the request. */
export interface ExpenseFormState {
  target: FormTarget;
  values: ExpenseFormView["values"];
  people: FormPerson[];
  /** "By item" rows as typed or stored; `moreItems`: "More item rows" was pressed. */
  items?: ItemRow[];
  moreItems?: boolean;
  issues?: FieldIssue[];
  status?: number;
  notice?: string | null;
}

/** The form with every message next to its field (and in the summary), values as typed. */
export async function showExpenseForm(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  s: ExpenseFormState,
): Promise<FastifyReply> {
  const group = await groupOfForm(ctx, s.values.group_id, requireActor(request).userId);
  const names = new Map(s.people.map((p) => [p.id, p.name]));
  const participants = s.people.filter((p) => p.checked).map((p) => p.id);
  const label = (key: string) => {
    const m = /^(value|row)_(\d+)$/.exec(key);
    if (m) return `${m[1] === "value" ? "Share of " : ""}${names.get(Number(m[2])) ?? "someone"}`;
    const paid = /^paid_(\d+)$/.exec(key);
    if (paid) return `Paid by ${names.get(Number(paid[1])) ?? "someone"}`;
    return itemLabel(key) ?? LABELS[key] ?? key;
  };
  const payerIds =
    s.values.payer_mode === "several"
      ? payerIdsOf(
          s.people.map((p) => p.id),
          (id) => s.people.find((p) => p.id === id)?.paid ?? "",
        )
      : [];
  // A currency that is not one (a forged post) is refused; meanwhile amounts read as INR's.
  const currency = isCurrencyCode(s.values.currency) ? s.values.currency : "INR";
  const items = itemsShown(s.items ?? [], s.people, s.values, currency, s.moreItems);
  const { errors, summary } = placeIssues(
    (s.issues ?? []).map((i) => wording(i, currency)),
    (f) => items.keyOf(f) ?? keyOf(f, participants, payerIds),
    label,
  );
  const shares =
    items.shares ??
    previewShares(s.values.amount, s.values.split_type, s.people, s.values.currency);
  return render(
    request,
    reply,
    ctx,
    "expense-form",
    {
      title: s.target.mode === "new" ? "Add expense" : "Edit expense",
      nav: s.target.mode === "new" ? "add" : "expenses",
      ...s.target,
      values: s.values,
      group,
      currencies: currencyOptions(),
      // The money boxes' unit in their labels ("Price (¥)"); split.js follows the select.
      symbol: currencySymbol(currency),
      people: s.people.map((p) => ({ ...p, share: shares.get(p.id) ?? null })),
      items: items.rows,
      errors,
      summary,
      notice: s.notice ?? null,
      categories: CATEGORY_SUGGESTIONS,
    },
    s.status ?? 200,
  );
}
