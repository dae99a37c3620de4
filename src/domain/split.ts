import { type FieldIssue, RuleViolation } from "./errors.js";
import { divFloor, formatPaise, MAX_EXPENSE_PAISE, type Paise } from "./money.js";

export type SplitType = "EQUAL" | "EXACT" | "PERCENTAGE";

export type SplitSpec =
  | { type: "EQUAL" }
  | { type: "EXACT"; amounts: Paise[] }
  /** Basis points: hundredths of a percent, 100% = 10000. */
  | { type: "PERCENTAGE"; basisPoints: number[] };

export interface Share {
  userId: number;
  amount: Paise;
}

export const MAX_PARTICIPANTS = 1000;
const FULL_PERCENT = 10_000;

/**
 * Largest-remainder (Hamilton) apportionment of `total` in proportion to integer `weights`:
 * everyone gets the floor of their exact share; the leftover units go one each to the largest
 * fractional remainders, ties to the earlier index. Always sums to `total`.
 */
export function apportion(total: Paise, weights: number[]): Paise[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0) throw new RangeError("weights must have a positive sum");
  const floors: number[] = [];
  const remainders: number[] = [];
  for (const w of weights) {
    // total ≤ 1e9 and w ≤ 1e9 keep the product below 2^53 for every caller in this codebase.
    const product = total * w;
    if (!Number.isSafeInteger(product)) throw new RangeError("apportion overflow");
    floors.push(divFloor(product, sum));
    remainders.push(product % sum);
  }
  let left = total - floors.reduce((s, x) => s + x, 0);
  const order = weights
    .map((_, i) => i)
    .sort((i, j) => (remainders[j] as number) - (remainders[i] as number) || i - j);
  for (const i of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] as number) + 1;
    left--;
  }
  return floors;
}

function sumOf(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

/**
 * Splits `total` among `participants` (in the given order). Rules:
 * - EQUAL: floor(total / n) each; the leftover paise go one each to the first participants.
 * - EXACT: the given amounts, which must add up to `total` exactly.
 * - PERCENTAGE: percentages must add up to exactly 100; shares by largest remainder, ties to
 *   earlier participants.
 * Shares always sum to `total`. Violations throw RuleViolation naming the API field.
 */
export function splitExpense(total: Paise, participants: number[], spec: SplitSpec): Share[] {
  const issues: FieldIssue[] = [];
  if (total <= 0) issues.push({ field: "amount", message: "must be greater than 0" });
  if (total > MAX_EXPENSE_PAISE)
    issues.push({
      field: "amount",
      message: `must be at most ${formatPaise(MAX_EXPENSE_PAISE)} (1 crore)`,
    });
  const n = participants.length;
  if (n < 1) issues.push({ field: "participants", message: "must name at least one participant" });
  if (n > MAX_PARTICIPANTS)
    issues.push({
      field: "participants",
      message: `must name at most ${MAX_PARTICIPANTS} participants, got ${n}`,
    });
  const seen = new Set<number>();
  const dupes = new Set<number>();
  for (const p of participants) (seen.has(p) ? dupes : seen).add(p);
  if (dupes.size > 0)
    issues.push({
      field: "participants",
      message: `must not repeat users: ${[...dupes].join(", ")}`,
    });

  const values =
    spec.type === "EXACT" ? spec.amounts : spec.type === "PERCENTAGE" ? spec.basisPoints : null;
  if (values) {
    if (values.length !== n) {
      issues.push({
        field: "split_values",
        message: `must have one value per participant (${n}), got ${values.length}`,
      });
    }
    values.forEach((v, i) => {
      if (v < 0) issues.push({ field: `split_values[${i}]`, message: "must not be negative" });
    });
    const sum = sumOf(values);
    if (spec.type === "EXACT" && values.length === n && sum !== total) {
      issues.push({
        field: "split_values",
        message: `amounts add up to ${formatPaise(sum)}, not the expense amount ${formatPaise(total)}`,
      });
    }
    if (spec.type === "PERCENTAGE" && values.length === n && sum !== FULL_PERCENT) {
      issues.push({
        field: "split_values",
        message: `percentages add up to ${formatPaise(sum)}, not 100`,
      });
    }
  }
  if (issues.length > 0) throw new RuleViolation("The split is not valid", issues);

  let amounts: Paise[];
  if (spec.type === "EQUAL") {
    const base = divFloor(total, n);
    const extra = total - base * n;
    amounts = participants.map((_, i) => base + (i < extra ? 1 : 0));
  } else if (spec.type === "EXACT") {
    amounts = [...spec.amounts];
  } else {
    amounts = apportion(total, spec.basisPoints);
  }
  return participants.map((userId, i) => ({ userId, amount: amounts[i] as Paise }));
}
