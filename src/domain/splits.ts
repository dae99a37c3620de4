import { formatMinor, maxAmountMinor } from "./currency.js";
import { type FieldIssue, RuleViolation } from "./errors.js";
import { describeItemized, type ItemizedSpec, itemizedShares } from "./itemized.js";
import { MAX_EXPENSE_PAISE, type Paise } from "./money.js";
import {
  apportion,
  decimalsMessage,
  describeParticipants,
  describeTotal,
  equalParts,
  type Share,
  type SplitSpec,
  type SplitType,
  splitExpense,
} from "./split.js";

/** Every split type: the original three (split.ts, unchanged) and SHARES, ADJUSTMENT, ITEMIZED. */
export type ExpenseSplitType = SplitType | "SHARES" | "ADJUSTMENT" | "ITEMIZED";
export const EXPENSE_SPLIT_TYPES: readonly ExpenseSplitType[] = [
  "EQUAL",
  "EXACT",
  "PERCENTAGE",
  "SHARES",
  "ADJUSTMENT",
  "ITEMIZED",
];

export type ExpenseSplitSpec =
  | SplitSpec
  /** Weights in hundredths (1.5 → 150), aligned with the participants. */
  | { type: "SHARES"; weights: number[] }
  /** Signed paise, aligned with the participants. */
  | { type: "ADJUSTMENT"; adjustments: Paise[] }
  | ItemizedSpec;

/** A weight may be at most this (in hundredths), like an INR expense amount in paise. */
const MAX_WEIGHT = MAX_EXPENSE_PAISE;

/**
 * One value per participant, each whole (hundredths of a weight, or minor units of `currency`
 * for signed adjustments) of size ≤ the limit (and ≥ 0 unless signed).
 */
function describeAligned(
  values: number[],
  n: number,
  signed: boolean,
  currency: string,
): FieldIssue[] {
  // Adjustments are money in the expense's currency; weights have 2 decimal places.
  const max = signed ? maxAmountMinor(currency) : MAX_WEIGHT;
  const unit = signed ? currency : "INR";
  const issues: FieldIssue[] = [];
  if (values.length !== n) {
    issues.push({
      field: "split_values",
      message: `must have one value per participant (${n}), got ${values.length}`,
    });
  }
  values.forEach((v, i) => {
    const field = `split_values[${i}]`;
    if (!Number.isSafeInteger(v)) {
      issues.push({ field, message: decimalsMessage(unit) });
    } else if (!signed && v < 0) {
      issues.push({ field, message: "must not be negative" });
    } else if (Math.abs(v) > max) {
      issues.push({ field, message: `must be at most ${formatMinor(max, unit)} in size` });
    }
  });
  return issues;
}

function describeShares(weights: number[], n: number): FieldIssue[] {
  const issues = describeAligned(weights, n, false, "INR");
  if (issues.length === 0 && !weights.some((w) => w > 0)) {
    issues.push({ field: "split_values", message: "at least one weight must be greater than 0" });
  }
  return issues;
}

/** What an ADJUSTMENT split leaves to share equally: amount − Σ adjustments. */
const adjustmentRest = (total: Paise, adjustments: Paise[]): Paise =>
  adjustments.reduce((rest, a) => rest - a, total);

function adjustmentShares(total: Paise, adjustments: Paise[]): Paise[] {
  const equal = equalParts(adjustmentRest(total, adjustments), adjustments.length);
  return adjustments.map((a, i) => (equal[i] as Paise) + a);
}

function describeAdjustment(
  total: Paise,
  adjustments: Paise[],
  n: number,
  currency: string,
): FieldIssue[] {
  const issues = describeAligned(adjustments, n, true, currency);
  if (issues.length > 0 || !Number.isSafeInteger(total) || n < 1) return issues;
  const rest = adjustmentRest(total, adjustments);
  if (rest < 0) {
    issues.push({
      field: "split_values",
      message: `adjustments add up to ${formatMinor(total - rest, currency)}, more than the expense amount ${formatMinor(total, currency)}`,
    });
    return issues;
  }
  adjustmentShares(total, adjustments).forEach((share, i) => {
    if (share < 0) {
      issues.push({
        field: `split_values[${i}]`,
        message: `gives a share of ${formatMinor(share, currency)}; a share must not be below 0`,
      });
    }
  });
  return issues;
}

/**
 * Every problem with splitting `total` (minor units of `currency`, INR unless said) among
 * `participants` by `spec`, in the API's field names. `participants` may be null only for
 * ITEMIZED (then it is the items' participants).
 */
export function describeSplit(
  total: Paise,
  participants: number[] | null,
  spec: ExpenseSplitSpec,
  currency = "INR",
): FieldIssue[] {
  if (spec.type === "ITEMIZED") {
    return [
      ...describeTotal(total, currency),
      ...describeItemized(total, participants, spec, currency),
    ];
  }
  if (participants === null) {
    return [
      ...describeTotal(total, currency),
      { field: "participants", message: `are required for a ${spec.type} split` },
    ];
  }
  if (spec.type === "EQUAL" || spec.type === "EXACT" || spec.type === "PERCENTAGE") {
    try {
      splitExpense(total, participants, spec, currency);
      return [];
    } catch (e) {
      if (e instanceof RuleViolation) return e.issues;
      throw e;
    }
  }
  const issues = [...describeTotal(total, currency), ...describeParticipants(participants)];
  if (spec.type === "SHARES") issues.push(...describeShares(spec.weights, participants.length));
  else issues.push(...describeAdjustment(total, spec.adjustments, participants.length, currency));
  return issues;
}

/**
 * Splits `total` paise (or minor units of `currency`: the same rules on its minor units) by any
 * split type; shares add up to `total` exactly. Throws RuleViolation
 * listing every problem (as `splitExpense` does, whose three types are delegated to it unchanged).
 * - SHARES: largest remainder (`apportion`) over the weights, ties to earlier participants:
 *   100.00 by [1, 2, 2] → 20.00, 40.00, 40.00; 10.00 by [1.5, 0.5] → 7.50, 2.50.
 * - ADJUSTMENT: the EQUAL rule over amount − Σ adjustments, plus each one's own adjustment:
 *   100.00 among 3 with [10, 0, −10]: Σ = 0, so all 100.00 is split EQUAL (33.34, 33.33, 33.33)
 *   and the adjustments added → 43.34, 33.33, 23.33. With [30, 0, 0]: 70.00 equally (23.34,
 *   23.33, 23.33) → 53.34, 23.33, 23.33. A share below 0, or Σ adjustments above the amount,
 *   is refused.
 * - ITEMIZED: see `itemizedShares`.
 */
export function computeShares(
  total: Paise,
  participants: number[] | null,
  spec: ExpenseSplitSpec,
  currency = "INR",
): Share[] {
  const issues = describeSplit(total, participants, spec, currency);
  if (issues.length > 0) throw new RuleViolation("The split is not valid", issues);
  if (spec.type === "ITEMIZED") return itemizedShares(spec, participants);
  const people = participants ?? [];
  if (spec.type === "SHARES") {
    const amounts = apportion(total, spec.weights);
    return people.map((userId, i) => ({ userId, amount: amounts[i] as Paise }));
  }
  if (spec.type === "ADJUSTMENT") {
    const amounts = adjustmentShares(total, spec.adjustments);
    return people.map((userId, i) => ({ userId, amount: amounts[i] as Paise }));
  }
  return splitExpense(total, people, spec, currency);
}

/** The per-participant values a spec was entered with (null for EQUAL and ITEMIZED). */
export function specValues(spec: ExpenseSplitSpec): number[] | null {
  switch (spec.type) {
    case "EXACT":
      return spec.amounts;
    case "PERCENTAGE":
      return spec.basisPoints;
    case "SHARES":
      return spec.weights;
    case "ADJUSTMENT":
      return spec.adjustments;
    default:
      return null;
  }
}
