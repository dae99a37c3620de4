import type { ExpenseRecord } from "../../db/repos/expenses.js";
import { formatRupees, parseAmountText } from "../../domain/amount-text.js";
import { formatMinor, minorDigits, parseAmount } from "../../domain/currency.js";
import type { FieldIssue } from "../../domain/errors.js";
import { describeItemized, type Item, itemizedShares, MAX_ITEMS } from "../../domain/itemized.js";
import type { FormBody } from "./forms.js";
import { idOf, many, one } from "./forms.js";
import type { ItemRowView } from "./view-types.js";

/**
 * "By item" (ITEMIZED) on the expense form: a fixed number of item rows (a description, a price
 * and a "shares it" box per person on the form), tax and tip. Without JavaScript the form shows
 * at least MIN_ROWS rows and always EMPTY_ROWS empty ones after the last filled one; "More item
 * rows" shows MORE_ROWS more. Empty rows are left out; the others are sent as the API's `items`
 * in the order of the rows, so a message about `items[1]` goes next to the row it came from.
 * Prices, tax and tip are money in the expense's chosen currency: read and shown with its digits
 * (¥1,000; KWD 1.250). `currency` below is a valid code (callers fall back to INR's digits).
 */

const MIN_ROWS = 5;
const EMPTY_ROWS = 2;
const MORE_ROWS = 5;

/** One item row as typed. `order`: the item's people as stored (an edit keeps their order). */
export interface ItemRow {
  description: string;
  amount: string;
  people: number[];
  order: number[];
}

const emptyRow = (): ItemRow => ({ description: "", amount: "", people: [], order: [] });

const isEmpty = (r: ItemRow) =>
  r.description.trim() === "" && r.amount.trim() === "" && r.people.length === 0;

const ids = (texts: string[]) => texts.map(idOf).filter((id) => Number.isSafeInteger(id));

/** Every item row the form showed (`item_desc_<i>`, `item_amount_<i>`, `item_people_<i>`). */
export function readItemRows(form: FormBody): ItemRow[] {
  // As many as were shown (`item_rows`), or up to the last one sent.
  const shown = idOf(one(form, "item_rows"));
  let n = Number.isSafeInteger(shown) ? shown : 0;
  for (const key of Object.keys(form)) {
    const m = /^item_(?:desc|amount|people|order)_(\d{1,4})$/.exec(key);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return Array.from({ length: Math.min(n, MAX_ITEMS) }, (_, i) => ({
    description: one(form, `item_desc_${i}`),
    amount: one(form, `item_amount_${i}`).trim(),
    people: [...new Set(ids(many(form, `item_people_${i}`)))],
    order: ids(one(form, `item_order_${i}`).split(",")),
  }));
}

/** An itemized expense's items as form rows (an edit), else none. */
export function itemRowsOf(e: Pick<ExpenseRecord, "split" | "currency">): ItemRow[] {
  if (e.split.type !== "ITEMIZED") return [];
  return (e.split.items ?? []).map((i) => ({
    description: i.description,
    amount: formatMinor(i.amount, e.currency),
    people: i.participants,
    order: i.participants,
  }));
}

/** An itemized expense's tax and tip as the form shows them ("" for none). */
export function itemizedValues(e: Pick<ExpenseRecord, "split" | "currency">): {
  tax: string;
  tip: string;
} {
  const text = (v: number | undefined) => (v ? formatMinor(v, e.currency) : "");
  return e.split.type === "ITEMIZED"
    ? { tax: text(e.split.tax), tip: text(e.split.tip) }
    : { tax: "", tip: "" };
}

/** The rows to show: those up to the last filled one, then empty ones (more when asked). */
export function rowsToShow(rows: ItemRow[], more = false): ItemRowView[] {
  const last = rows.findLastIndex((r) => !isEmpty(r));
  const kept = rows.slice(0, last + 1);
  let count = Math.max(MIN_ROWS, kept.length + EMPTY_ROWS);
  if (more) count = Math.max(count, rows.length + MORE_ROWS);
  const all = [...kept, ...Array.from({ length: count - kept.length }, emptyRow)];
  return all.slice(0, MAX_ITEMS).map((r, index) => ({
    index,
    description: r.description,
    amount: r.amount,
    people: r.people,
    order: r.order.join(","),
  }));
}

/** The people of a row: the stored order first (an unchanged edit saves the same shares), then
 * the form's order. */
function peopleInOrder(row: ItemRow, formOrder: number[]): number[] {
  const ticked = new Set(row.people);
  const first = row.order.filter((id) => ticked.has(id));
  const rest = formOrder.filter((id) => ticked.has(id) && !first.includes(id));
  return [...new Set([...first, ...rest])];
}

export interface ItemsRead {
  /** The API's `items`, amounts as strict decimals where they read (else as typed). */
  items: { description: string; amount: string; participants: number[] }[];
  /** The row each item came from. */
  rowOf: number[];
  issues: FieldIssue[];
}

/** "250.50" in INR, "250" in JPY, "250.500" in KWD: the example in an empty price's message. */
function examplePrice(currency: string): string {
  const digits = minorDigits(currency);
  return digits === 0 ? "250" : `250.${"50".padEnd(digits, "0").slice(0, digits)}`;
}

/**
 * The filled rows as the API's items: prices as people write them ("₹1,250.50", "¥1,000"), a
 * message per price that does not read, and for a ticked box of someone not on the form (a
 * forged post) the API's message, no name.
 */
export function readItems(rows: ItemRow[], formOrder: number[], currency: string): ItemsRead {
  const issues: FieldIssue[] = [];
  const rowOf: number[] = [];
  const items = rows.flatMap((row, r) => {
    if (isEmpty(row)) return [];
    const k = rowOf.push(r) - 1;
    const amount = parseAmountText(row.amount, currency);
    if (!amount.ok)
      issues.push({
        field: `items[${k}].amount`,
        message:
          row.amount === "" ? `enter the price, e.g. ${examplePrice(currency)}` : amount.message,
      });
    // Said here too: the rules skip the items while a price does not read.
    if (row.description.trim() === "")
      issues.push({ field: `items[${k}].description`, message: "must not be empty" });
    if (row.people.length === 0)
      issues.push({ field: `items[${k}].participants`, message: "tick who shares this item" });
    for (const id of row.people)
      if (!formOrder.includes(id))
        issues.push({
          field: `items[${k}].participants`,
          message: `user ${id} is unknown: add them as a friend first`,
        });
    return [
      {
        // Spaces around it dropped, as for the expense's description (control characters stay:
        // the one-line rule refuses them).
        description: row.description.replace(/^ +| +$/g, ""),
        amount: amount.ok ? formatMinor(amount.value, currency) : row.amount,
        participants: peopleInOrder(row, formOrder).filter((id) => formOrder.includes(id)),
      },
    ];
  });
  return { items, rowOf, issues };
}

/** Tax or tip as typed → the API's decimal (absent when empty), or the form's message. */
export function extraOf(
  text: string,
  field: "tax" | "tip",
  issues: FieldIssue[],
  currency: string,
): string | null {
  if (text.trim() === "") return null;
  const r = parseAmountText(text, currency);
  if (r.ok) return formatMinor(r.value, currency);
  issues.push({ field, message: r.message });
  return text;
}

/** `items[2].amount` → that row's price box, and so on; null for any other field. */
export function itemKeyOf(field: string, rowOf: number[]): string | null {
  if (field === "items" || field === "tax" || field === "tip") return field;
  const m = /^items\[(\d+)\](?:\.(description|amount|participants))?/.exec(field);
  if (!m) return null;
  const row = rowOf[Number(m[1])];
  if (row === undefined) return "items";
  const part = { description: "desc", amount: "amount", participants: "people" }[m[2] ?? ""];
  return part ? `item_${part}_${row}` : "items";
}

/** The summary's name for an items field. */
export function itemLabel(key: string): string | null {
  const m = /^item_(desc|amount|people)_(\d+)$/.exec(key);
  if (!m) return null;
  const n = Number(m[2]) + 1;
  return m[1] === "desc"
    ? `Item ${n}`
    : m[1] === "amount"
      ? `Price of item ${n}`
      : `Who shares item ${n}`;
}

/** The domain's messages in the form's words (sums in the currency, with grouping). */
export function itemWording(issue: FieldIssue, currency: string): FieldIssue {
  const sums =
    /^items, tax and tip add up to (-?[0-9.]+), not the expense amount (-?[0-9.]+)$/.exec(
      issue.message,
    );
  if (issue.field === "items" && sums) {
    const sum = parseAmount(sums[1] ?? "", currency);
    const total = parseAmount(sums[2] ?? "", currency);
    if (sum.ok && total.ok)
      return {
        ...issue,
        message: `the items, tax and tip add up to ${formatRupees(sum.value, currency)}; the amount is ${formatRupees(total.value, currency)}`,
      };
  }
  if (issue.field === "items" && /^must list 1 to/.test(issue.message))
    return { ...issue, message: "add at least one item: what it is, its price and who shares it" };
  if (/^items\[\d+\]\.participants$/.test(issue.field) && /at least one/.test(issue.message))
    return { ...issue, message: "tick who shares this item" };
  return issue;
}

/**
 * Each person's share by the saving rule while the rows read (the amount plays no part: it is
 * only checked against the sum), else none: the messages say why.
 */
export function itemizedPreview(
  rows: ItemRow[],
  tax: string,
  tip: string,
  formOrder: number[],
  currency: string,
): Map<number, string> {
  const read = readItems(rows, formOrder, currency);
  const extra = (t: string) =>
    t.trim() === "" ? { ok: true as const, value: 0 } : parseAmountText(t, currency);
  const [taxP, tipP] = [extra(tax), extra(tip)];
  // The descriptions play no part in the shares: an empty one does not stop the preview.
  const blocking = read.issues.filter((i) => !i.field.endsWith(".description"));
  if (blocking.length > 0 || !taxP.ok || !tipP.ok || read.items.length === 0) return new Map();
  const items: Item[] = read.items.map((i) => {
    const amount = parseAmount(i.amount, currency);
    return { ...i, description: "item", amount: amount.ok ? amount.value : 0 };
  });
  const spec = { type: "ITEMIZED" as const, items, tax: taxP.value, tip: tipP.value };
  if (describeItemized(Number.NaN, null, spec, currency).length > 0) return new Map();
  return new Map(
    itemizedShares(spec, null).map((s) => [s.userId, formatRupees(s.amount, currency)]),
  );
}

/**
 * What showing the form needs of the items: where a message about `items[k]` goes (the row it
 * came from), the rows, and by item each person's share (null for the other split types).
 */
export function itemsShown(
  rows: ItemRow[],
  people: { id: number }[],
  values: { split_type: string; tax?: string; tip?: string },
  currency: string,
  more = false,
): {
  keyOf: (field: string) => string | null;
  rows: ItemRowView[];
  shares: Map<number, string> | null;
} {
  const order = people.map((p) => p.id);
  const { rowOf } = readItems(rows, order, currency);
  return {
    keyOf: (field) => itemKeyOf(field, rowOf),
    rows: rowsToShow(rows, more),
    shares:
      values.split_type === "ITEMIZED"
        ? itemizedPreview(rows, values.tax ?? "", values.tip ?? "", order, currency)
        : null,
  };
}
