import type { NetsChart } from "./group-chart.js";
import type { ExpenseListItem, FieldErrors } from "./view-types.js";

/** View models of the group pages (groups.ts, group-settings.ts) and the dashboard's list. */

/** A net as the pages word it, coloured only next to the words; neutral when zero. */
export interface NetText {
  tone: "owed" | "owe" | "zero";
  /** "you are owed ₹5.00", "you owe ₹5.00", "settled up". */
  text: string;
}

export interface GroupRowView extends NetText {
  id: number;
  name: string;
  archived: boolean;
  memberCount: number;
}

export interface GroupNewView {
  values: { name: string; simplify: boolean; members: string[]; currency: string };
  people: { id: number; name: string }[];
  currencies: { code: string; label: string; common: boolean }[];
  errors: FieldErrors;
  summary: { field: string | null; message: string }[];
}

export interface GroupTransferView {
  fromName: string;
  toName: string;
  amountText: string;
  /** Transfers are per currency: each in its own. */
  currency: string;
  /** The other person when the viewer pays or collects; null for others' transfers. */
  settleWith: number | null;
  /** "pay" (you pay them) or "collect" (they pay you), for the button's words. */
  yourSide: "pay" | "collect" | null;
}

export interface GroupPageView {
  id: number;
  name: string;
  archived: boolean;
  simplified: boolean;
  members: ({ id: number; name: string; you: boolean } & NetText)[];
  transfers: GroupTransferView[];
  expenses: ExpenseListItem[];
  olderUrl: string | null;
  chart: NetsChart | null;
  /** "Add expense" with the members preselected and the group carried. */
  addExpenseUrl: string;
}

export interface GroupSettingsView {
  id: number;
  name: string;
  archived: boolean;
  values: { name: string; simplify: boolean; currency: string };
  /** The currency select (changeable while nothing is recorded: the API answers 409 after). */
  currencies: { code: string; label: string; common: boolean }[];
  members: { id: number; name: string; you: boolean }[];
  /** People you know who are not members yet. */
  candidates: { id: number; name: string }[];
  errors: FieldErrors;
  summary: { field: string | null; message: string }[];
}
