import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../../services/context.js";
import type { ActivityView } from "./activity-views.js";
import type { SpendingChart } from "./chart.js";
import type {
  GroupNewView,
  GroupPageView,
  GroupRowView,
  GroupSettingsView,
} from "./group-views.js";
import type { ImportPeopleView, ImportPreviewView, ImportUploadView } from "./import-views.js";
import { pageLocals } from "./locals.js";
import type { ExpenseListItem, FieldErrors, ItemRowView } from "./view-types.js";

export type { ExpenseListItem, FieldErrors } from "./view-types.js";

import type { AccountViews } from "./account-views.js";

export type { AuthFormView } from "./account-views.js";

/** One dashboard row: one person in one currency (a person with two currencies has two rows). */
export interface PersonRow {
  id: number;
  name: string;
  /** "owed": they owe you; "owe": you owe them. */
  direction: "owed" | "owe";
  amountText: string;
  /** The row's currency: its "Settle up" prefills this currency's balance. */
  currency: string;
  /** The Settle up link's hidden words: " with Bela", " with Bela in USD" when she has several. */
  settleLabel: string;
}

/** A net in one currency as the dashboard words it ("you are owed ₹5.00"). */
export interface NetLine {
  direction: "owed" | "owe";
  amountText: string;
}

export interface DashboardView {
  simplify: boolean;
  /** One total per currency (APP_CURRENCY first, then by code); ₹0.00 when there is none. */
  totalOwe: string[];
  totalOwed: string[];
  /** The totals' colour class: "zero" (neutral) when the amount is ₹0.00. */
  totalOweTone: "owe" | "zero";
  totalOwedTone: "owed" | "zero";
  /** The net in each currency where it is not zero; none means all settled. */
  nets: NetLine[];
  rows: PersonRow[];
  /** Your share per month; null when it would show no more than the list. */
  chart: SpendingChart | null;
  /** Your groups with your net in each. */
  groups: GroupRowView[];
  /** Whether more groups exist than the dashboard lists. */
  moreGroups: boolean;
}

export interface FormPerson {
  id: number;
  name: string;
  you: boolean;
  checked: boolean;
  value: string;
  /** What they paid, as typed ("Several people paid"). */
  paid: string;
  /** The person's equal share as it would be saved ("₹33.34"), for the EQUAL view. */
  share?: string | null;
}

export interface ExpenseFormView {
  mode: "new" | "edit";
  action: string;
  expenseId: number | null;
  version: number | null;
  values: {
    description: string;
    /** Optional: the category and notes as typed ("" or absent for none). */
    category?: string;
    notes?: string;
    amount: string;
    date: string;
    paid_by: string;
    /** "one": `paid_by` counts; "several": each person's "Paid" box. */
    payer_mode: "one" | "several";
    split_type: "EQUAL" | "EXACT" | "PERCENTAGE" | "SHARES" | "ADJUSTMENT" | "ITEMIZED";
    email: string;
    /** Set when the typed email is nobody's yet: the form offers to invite them by name. */
    invite?: boolean;
    invite_name?: string;
    /** The group it goes into (hidden field), "" or absent for none. */
    group_id?: string;
    /** "By item": tax and tip as typed ("" for none). */
    tax?: string;
    tip?: string;
    /** The ISO code chosen (preselected: the expense's, else the group's, else APP_CURRENCY). */
    currency: string;
    /** In a group, for another currency: 1 unit of it in the group's, as typed ("" for none). */
    exchange_rate?: string;
  };
  /** The group named by `group_id`, shown above the form, with its currency. */
  group?: { id: number; name: string; currency: string } | null;
  /** The currency select's options, common codes first. */
  currencies: { code: string; label: string; common: boolean }[];
  /** The chosen currency's symbol for the money boxes' labels ("₹", "$", "¥", "KWD"). */
  symbol: string;
  people: FormPerson[];
  /** "By item": the item rows to show (filled ones, then empty ones). */
  items: ItemRowView[];
  errors: FieldErrors;
  /** Messages that belong to no single field, and the error summary's entries. */
  summary: { field: string | null; message: string }[];
  notice: string | null;
  /** The Category box's suggestions (Splitwise's common categories); any other text is fine too. */
  categories: readonly string[];
}

/** One month heading of the expense list and the expenses under it on this page. */
export interface ExpenseMonth {
  /** "2026-11" */
  key: string;
  /** "November 2026" */
  label: string;
  /**
   * The whole month's totals (all matching expenses, not only this page's), one per currency
   * (APP_CURRENCY first, then by code), never added together.
   */
  totals: { totalText: string; yoursText: string; count: number }[];
  items: ExpenseListItem[];
}

export interface ExpenseListView {
  months: ExpenseMonth[];
  people: { id: number; name: string }[];
  person: number | null;
  /** The search text, "" for none. */
  q: string;
  olderUrl: string | null;
  newerUrl: string | null;
}

export interface ExpenseDetailView {
  id: number;
  version: number;
  description: string;
  /** Null for none. Notes keep their line breaks (the page shows them as typed). */
  category: string | null;
  notes: string | null;
  date: string;
  amountText: string;
  /** Booked at a rate: "Entered as $100.00 at 1 USD = 83.125 INR"; otherwise null. */
  originalText: string | null;
  splitType: string;
  /** "You", "Asha and Bela", … */
  payerName: string;
  /** Several payers: who paid how much; null for one payer. */
  payers: { name: string; amountText: string }[] | null;
  shares: { name: string; amountText: string; valueText: string | null }[];
  /** ITEMIZED: the items with who shares each, and tax and tip; null otherwise. */
  items: { description: string; amountText: string; people: string }[] | null;
  taxText: string | null;
  tipText: string | null;
  createdText: string;
  updatedText: string | null;
  /** Whether the viewer may edit or delete it: Edit and Delete are offered only then. */
  canChange: boolean;
}

export interface SettleView {
  values: {
    direction: "paid" | "received";
    other: string;
    amount: string;
    currency: string;
    /** Optional, as typed ("" for none). */
    note: string;
  };
  /** The currency select's options (preselected: the group's, else APP_CURRENCY). */
  currencies: { code: string; label: string; common: boolean }[];
  /** Settling inside this group (from its page): recorded with its group_id. */
  group: { id: number; name: string } | null;
  people: { id: number; name: string; hint: string }[];
  errors: FieldErrors;
  summary: { field: string | null; message: string }[];
  /** More than is owed: what recording it would make of the balance, to confirm first. */
  warning?: string | null;
  /** The payment the warning is about; posting it back records it. */
  confirm?: string | null;
}

export interface SettlementsView {
  items: {
    id: number;
    date: string;
    text: string;
    amountText: string;
    outgoing: boolean;
    /** Whether the viewer may delete it (its Delete link). */
    canDelete: boolean;
    /** Its note, line breaks kept (the page shows them); null for none. */
    note: string | null;
  }[];
  nextUrl: string | null;
}

export interface FriendsView {
  people: ({ id: number; name: string; email: string } & BalanceText)[];
  values: { email: string; name: string; invite: boolean };
  errors: FieldErrors;
  summary: { field: string | null; message: string }[];
}

/** A line of a person's history: an expense or a settlement between you. */
export interface HistoryItem extends ExpenseListItem {
  kind: "expense" | "settlement";
  /** A settlement's note (null or absent for none). */
  note?: string | null;
}

/**
 * A balance with one person, one line per currency ("owes you $12.00 · you owe ₹50.00"); no
 * lines means a neutral "settled up". `tone` colours the row: "mixed" when it goes both ways.
 */
export interface BalanceText {
  tone: "owe" | "owed" | "mixed" | "zero";
  lines: { tone: "owe" | "owed"; amountText: string }[];
}

export interface PersonView extends BalanceText {
  id: number;
  name: string;
  items: HistoryItem[];
  more: boolean;
}

export interface ErrorView {
  heading: string;
  message: string;
}

/** Template name → the data it reads: templates get exactly these fields (plus the locals). */
export interface Views extends AccountViews {
  dashboard: DashboardView;
  "expense-form": ExpenseFormView;
  expenses: ExpenseListView;
  expense: ExpenseDetailView;
  "expense-delete": ExpenseDetailView & { conflict?: boolean; refused?: string };
  settle: SettleView;
  settlements: SettlementsView;
  activity: ActivityView;
  "expense-deleted": ExpenseDetailView & { problem: string | null };
  "settlement-delete": { id: number; text: string; date: string; note: string | null };
  friends: FriendsView;
  person: PersonView;
  error: ErrorView;
  "group-new": GroupNewView;
  groups: { groups: GroupRowView[]; moreGroups: boolean };
  group: GroupPageView;
  "group-settings": GroupSettingsView;
  "group-import": ImportUploadView;
  "group-import-people": ImportPeopleView;
  "group-import-preview": ImportPreviewView;
}

/** Renders a page inside the layout with the shared locals; the engine escapes every value. */
export async function render<K extends keyof Views>(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
  name: K,
  data: Views[K] & { title: string; nav?: string },
  status = 200,
): Promise<FastifyReply> {
  const locals = await pageLocals(request, reply, ctx);
  const html = await reply.viewAsync(name, { ...locals, nav: "", ...data });
  return reply.code(status).type("text/html; charset=utf-8").send(html);
}
