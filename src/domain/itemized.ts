import { formatMinor, maxAmountMinor } from "./currency.js";
import type { FieldIssue } from "./errors.js";
import type { Paise } from "./money.js";
import {
  apportion,
  describeParticipants,
  equalParts,
  MAX_PARTICIPANTS,
  type Share,
} from "./split.js";
import { isSingleLine } from "./text.js";

/** One line of an itemized bill: its price and who shares it. */
export interface Item {
  description: string;
  amount: Paise;
  participants: number[];
}

export interface ItemizedSpec {
  type: "ITEMIZED";
  items: Item[];
  /** Both ≥ 0; spread together in proportion to each person's item subtotal. */
  tax: Paise;
  tip: Paise;
}

export const MAX_ITEMS = 500;
export const MAX_ITEM_DESCRIPTION = 200;

const inRange = (v: Paise, min: Paise, currency: string): boolean =>
  Number.isSafeInteger(v) && v >= min && v <= maxAmountMinor(currency);

function describeItem(item: Item, i: number, currency: string): FieldIssue[] {
  const at = `items[${i}]`;
  const issues: FieldIssue[] = [];
  const chars = [...item.description].length;
  if (item.description.trim() === "") {
    issues.push({ field: `${at}.description`, message: "must not be empty" });
  } else if (!isSingleLine(item.description) || chars > MAX_ITEM_DESCRIPTION) {
    issues.push({
      field: `${at}.description`,
      message: `must be one line of at most ${MAX_ITEM_DESCRIPTION} characters`,
    });
  }
  if (!inRange(item.amount, 1, currency)) {
    issues.push({
      field: `${at}.amount`,
      message: `must be greater than 0 and at most ${formatMinor(maxAmountMinor(currency), currency)}`,
    });
  }
  for (const issue of describeParticipants(item.participants)) {
    issues.push({ ...issue, field: issue.field.replace(/^participants/, `${at}.participants`) });
  }
  return issues;
}

/** Everyone who shares an item, in order of first appearance in the items (the tie-break order). */
export function itemParticipants(items: Item[]): number[] {
  const seen = new Set<number>();
  for (const item of items) for (const p of item.participants) seen.add(p);
  return [...seen];
}

/**
 * Every problem with an itemized bill of `total` paise (minor units of `currency`, INR unless said): the items (1 to MAX_ITEMS; each a
 * one-line description, an amount > 0 and 1+ distinct participants), tax and tip (≥ 0), the sum
 * (`total` = Σ items + tax + tip exactly) and, when `participants` is given, that it is exactly
 * the set of people who share an item.
 */
export function describeItemized(
  total: Paise,
  participants: number[] | null,
  spec: ItemizedSpec,
  currency = "INR",
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (spec.items.length < 1 || spec.items.length > MAX_ITEMS) {
    issues.push({ field: "items", message: `must list 1 to ${MAX_ITEMS} items` });
  }
  spec.items.forEach((item, i) => {
    issues.push(...describeItem(item, i, currency));
  });
  if (!inRange(spec.tax, 0, currency)) issues.push({ field: "tax", message: "must be 0 or more" });
  if (!inRange(spec.tip, 0, currency)) issues.push({ field: "tip", message: "must be 0 or more" });
  const union = itemParticipants(spec.items);
  if (union.length > MAX_PARTICIPANTS) {
    issues.push({
      field: "items",
      message: `must be shared by at most ${MAX_PARTICIPANTS} people, got ${union.length}`,
    });
  }
  if (participants !== null) {
    issues.push(...describeParticipants(participants));
    const given = new Set(participants);
    const shared = new Set(union);
    const missing = union.filter((p) => !given.has(p));
    const extra = [...given].filter((p) => !shared.has(p));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        missing.length > 0 ? `leaves out ${missing.join(", ")}, who share items` : "",
        extra.length > 0 ? `names ${extra.join(", ")}, who share no item` : "",
      ];
      issues.push({
        field: "participants",
        message: `must be exactly the people who share the items: it ${parts.filter(Boolean).join(" and ")}`,
      });
    }
  }
  if (issues.length > 0 || !Number.isSafeInteger(total)) return issues;
  const sum = spec.items.reduce((s, item) => s + item.amount, 0) + spec.tax + spec.tip;
  if (sum !== total) {
    issues.push({
      field: "items",
      message: `items, tax and tip add up to ${formatMinor(sum, currency)}, not the expense amount ${formatMinor(total, currency)}`,
    });
  }
  return issues;
}

/**
 * Shares of a valid itemized bill (check it with `describeItemized` first):
 * 1. each item is split EQUAL among its own participants (`equalParts`: leftover paise to the
 *    item's first participants);
 * 2. tax + tip together are apportioned in proportion to each person's item subtotal (largest
 *    remainder, ties to the person who appears first in the items).
 * Returned in the order of `participants` when given, else in order of first appearance.
 *
 * Example: naan 3.00 [A, B, C], curry 10.01 [A, B], tax 1.30, tip 0.40 (amount 14.71):
 * subtotals A 1.00 + 5.01 = 6.01, B 1.00 + 5.00 = 6.00, C 1.00 (Σ 13.01); 1.70 in proportion
 * 601 : 600 : 100 → 78.53…, 78.40…, 13.07… paise → 78, 78, 13 and the last paisa to A (largest
 * remainder .53) → A 6.80, B 6.78, C 1.13.
 */
export function itemizedShares(spec: ItemizedSpec, participants: number[] | null): Share[] {
  const order = itemParticipants(spec.items);
  const subtotal = new Map<number, Paise>(order.map((p) => [p, 0]));
  for (const item of spec.items) {
    const parts = equalParts(item.amount, item.participants.length);
    item.participants.forEach((p, i) => {
      subtotal.set(p, (subtotal.get(p) ?? 0) + (parts[i] as Paise));
    });
  }
  const subtotals = order.map((p) => subtotal.get(p) ?? 0);
  const extra = spec.tax + spec.tip;
  const extras = extra > 0 ? apportion(extra, subtotals) : subtotals.map(() => 0);
  const share = new Map<number, Paise>(
    order.map((p, i) => [p, (subtotals[i] as Paise) + (extras[i] as Paise)]),
  );
  return (participants ?? order).map((userId) => ({ userId, amount: share.get(userId) ?? 0 }));
}
