import { bookAtRate, convertMinor, describeAmount, formatMinor, parseRate } from "./currency.js";
import { type FieldIssue, RuleViolation } from "./errors.js";
import { type ExpenseDraft, splitOf, splitSpecOf } from "./expense.js";
import { describePayers } from "./payers.js";
import { apportion } from "./split.js";
import { computeShares, describeSplit, type ExpenseSplitSpec } from "./splits.js";

/**
 * Booking an expense entered in another currency in its group's currency, at an exchange rate
 * (1 unit of the entered currency in the group's).
 *
 * - The amount: amount × rate, rounded half up to the group currency's minor unit.
 * - Amounts that must add up to the amount (the payers' amounts, EXACT values, the items with tax
 *   and tip) are apportioned over the booked amount in proportion to what was entered (largest
 *   remainder, ties to the earlier one, as `apportion`): they still add up exactly, and each is
 *   within one minor unit of its own amount × rate.
 * - ADJUSTMENT values are each converted on their own (× rate, rounded half up in size).
 * - PERCENTAGE and SHARES values are not money: unchanged.
 * Then the split applies to the booked amount, by the same rules as any expense.
 *
 * Worked example: 100.00 USD at "83.125" in an INR group → ₹8,312.50. EXACT 33.33 / 33.33 /
 * 33.34 USD → 8312.50 INR apportioned 3333 : 3333 : 3334 → 2770.55|625, 2770.55|625, 2771.38|75
 * → floors 2770.55, 2770.55, 2771.38 (Σ 8312.48) and the two paise left to the largest
 * remainders (.75, then the first .625) → ₹2,770.56, ₹2,770.55, ₹2,771.39.
 */

/** A positive decimal with at most this many decimal places is a valid exchange rate. */
export const MAX_RATE_DECIMALS = 10;
/** …and at most this many characters. */
export const MAX_RATE_LENGTH = 30;

const RATE = /^([0-9]+)(?:\.([0-9]+))?$/;

/**
 * An exchange rate as the API receives it (a decimal string or a JSON number by its text), in
 * its canonical text ("083.1250" → "83.125"), or the problem with it.
 */
export function readRate(v: string | number): { ok: true; rate: string } | { ok: false } {
  const text = typeof v === "number" ? String(v) : typeof v === "string" ? v : "";
  const m = RATE.exec(text);
  if (!m || text.length > MAX_RATE_LENGTH || (m[2] ?? "").length > MAX_RATE_DECIMALS)
    return { ok: false };
  const whole = (m[1] ?? "").replace(/^0+(?=[0-9])/, "");
  const frac = (m[2] ?? "").replace(/0+$/, "");
  if (/^0*$/.test(whole + frac)) return { ok: false };
  return { ok: true, rate: frac ? `${whole}.${frac}` : whole };
}

export const RATE_MESSAGE = `must be a decimal number greater than 0 with at most ${MAX_RATE_DECIMALS} decimal places (1 unit of the expense's currency in the group's), e.g. "83.25"`;

/** Amounts that add up to `from`'s total, apportioned over `booked` (see above). */
const share = (booked: number, amounts: number[]) => apportion(booked, amounts);

function bookSpec(spec: ExpenseSplitSpec, booked: number, convert: (v: number) => number) {
  switch (spec.type) {
    case "EXACT":
      return { ...spec, amounts: share(booked, spec.amounts) };
    case "ADJUSTMENT":
      return { ...spec, adjustments: spec.adjustments.map(convert) };
    case "ITEMIZED": {
      const parts = share(booked, [...spec.items.map((i) => i.amount), spec.tax, spec.tip]);
      const n = spec.items.length;
      return {
        ...spec,
        items: spec.items.map((item, i) => ({ ...item, amount: parts[i] as number })),
        tax: parts[n] as number,
        tip: parts[n + 1] as number,
      };
    }
    default:
      return spec;
  }
}

/**
 * `draft` (valid, in the entered currency) booked in `to` at `rate`. Throws a RuleViolation when
 * the booked expense breaks a rule (too large, or a part that rounds to nothing).
 */
export function bookExpense(
  draft: ExpenseDraft,
  rate: string,
  to: string,
  participants: number[] | null,
): ExpenseDraft {
  const from = draft.currency;
  const convert = (v: number) => bookAtRate(v, from, rate, to);
  const at = `once booked in ${to} at ${rate}`;
  let booked: number;
  try {
    booked = convert(draft.amount);
  } catch {
    booked = Number.POSITIVE_INFINITY;
  }
  const tooLarge = Number.isFinite(booked) ? describeAmount(booked, to) : "is too large";
  if (tooLarge !== null) {
    const shown = Number.isFinite(booked) ? ` (${formatMinor(booked, to)} ${to})` : "";
    throw new RuleViolation("The expense is not valid", [
      { field: "amount", message: `${tooLarge} ${at}${shown}` },
    ]);
  }
  const payers = share(
    booked,
    draft.payers.map((p) => p.amount),
  ).map((amount, i) => ({ userId: draft.payers[i]?.userId ?? 0, amount }));
  const spec = bookSpec(splitSpecOf(draft.split), booked, convert);
  const issues: FieldIssue[] = [
    ...describePayers(payers, booked, to),
    ...describeSplit(booked, participants, spec, to),
  ];
  if (issues.length > 0)
    throw new RuleViolation(
      "The expense is not valid",
      issues.map((i) => ({ ...i, message: `${i.message} ${at}` })),
    );
  return {
    ...draft,
    amount: booked,
    currency: to,
    original: { amount: draft.amount, currency: from, rate },
    payers,
    shares: computeShares(booked, participants, spec, to),
    split: splitOf(spec),
  };
}

/**
 * What was entered, recovered from a booked expense (to edit it as typed): the amount and
 * currency entered (`original`), the payers' amounts, EXACT values and items with tax and tip
 * apportioned back over the amount entered in proportion to what was booked, ADJUSTMENT values
 * converted back one by one at 1 / rate. Returned only when it is a valid entry that books to
 * exactly the stored amounts, payers, split and shares, so saving it unchanged changes nothing;
 * null otherwise (or when the expense was not booked at a rate). With at least 2 minor units
 * booked per minor unit entered (83.125 INR per USD) these are exactly the amounts typed; at a
 * lower rate several entries may book alike, and it is one of them.
 */
export function unbookExpense(e: ExpenseDraft): ExpenseDraft | null {
  const o = e.original;
  const inverse = o ? parseRate(o.rate) : null;
  if (!o || !inverse) return null;
  try {
    const back = (booked: number[]) => apportion(o.amount, booked);
    const entered = (spec: ExpenseSplitSpec): ExpenseSplitSpec => {
      switch (spec.type) {
        case "EXACT":
          return { ...spec, amounts: back(spec.amounts) };
        case "ADJUSTMENT": {
          const rate = { num: inverse.den, den: inverse.num };
          return {
            ...spec,
            adjustments: spec.adjustments.map((v) => convertMinor(v, e.currency, rate, o.currency)),
          };
        }
        case "ITEMIZED": {
          const parts = back([...spec.items.map((i) => i.amount), spec.tax, spec.tip]);
          const n = spec.items.length;
          return {
            ...spec,
            items: spec.items.map((item, i) => ({ ...item, amount: parts[i] as number })),
            tax: parts[n] as number,
            tip: parts[n + 1] as number,
          };
        }
        default:
          return spec;
      }
    };
    const spec = entered(splitSpecOf(e.split));
    const paid = back(e.payers.map((p) => p.amount));
    const payers = e.payers.map((p, i) => ({ userId: p.userId, amount: paid[i] as number }));
    // As the form sends it: by item, the items name the people.
    const participants = spec.type === "ITEMIZED" ? null : e.shares.map((s) => s.userId);
    const issues = [
      ...describePayers(payers, o.amount, o.currency),
      ...describeSplit(o.amount, participants, spec, o.currency),
    ];
    if (issues.length > 0) return null;
    const draft: ExpenseDraft = {
      ...e,
      amount: o.amount,
      currency: o.currency,
      original: null,
      payers,
      shares: computeShares(o.amount, participants, spec, o.currency),
      split: splitOf(spec),
    };
    return sameBooking(bookExpense(draft, o.rate, e.currency, participants), e) ? draft : null;
  } catch {
    return null; // does not book back (a RuleViolation or a part beyond range)
  }
}

/** The money of two expenses is the same: amount, payers, shares and split, part by part. */
function sameBooking(a: ExpenseDraft, b: ExpenseDraft): boolean {
  const items = (x: ExpenseDraft) =>
    (x.split.items ?? []).map((i) => [i.description, i.amount, i.participants]);
  const money = (x: ExpenseDraft) =>
    JSON.stringify([
      x.amount,
      x.currency,
      x.payers.map((p) => [p.userId, p.amount]),
      x.shares.map((s) => [s.userId, s.amount]),
      x.split.type,
      x.split.values ?? [],
      items(x),
      x.split.tax ?? 0,
      x.split.tip ?? 0,
    ]);
  return money(a) === money(b);
}

/**
 * The exchange rate to book at, or null without one; notes an issue when one is given where it
 * does not belong (outside a group, or in the group's own currency) or does not parse.
 */
export function readExchangeRate(
  input: { exchange_rate?: string | number | undefined },
  currency: string,
  defaults: { groupCurrency: string | null },
  issues: FieldIssue[],
): string | null {
  if (input.exchange_rate === undefined) return null;
  const field = "exchange_rate";
  if (defaults.groupCurrency === null) {
    issues.push({
      field,
      message:
        "is only for an expense in a group, entered in another currency than the group's: outside a group an expense stays in its own currency",
    });
    return null;
  }
  if (currency === defaults.groupCurrency) {
    issues.push({
      field,
      message: `must be omitted: the expense is in the group's own currency (${currency})`,
    });
    return null;
  }
  const r = readRate(input.exchange_rate);
  if (!r.ok) issues.push({ field, message: RATE_MESSAGE });
  return r.ok ? r.rate : null;
}
