import { formatMoney, maxAmountMinor, minorDigits } from "./currency.js";
import { type FieldIssue, RuleViolation } from "./errors.js";
import { divFloor, formatPaise, type Paise } from "./money.js";

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
/** 100% in basis points. */
const FULL_PERCENT = 10_000;

/**
 * Largest-remainder (Hamilton) apportionment of `total` units in proportion to integer `weights`:
 * the exact share of i is total·w_i / W (W = Σw); everyone gets its floor, and the leftover units
 * (fewer than the number of weights) go one each to the largest fractional remainders, ties to the
 * earlier index. Always sums to `total`, and every part is within 1 unit of its exact share
 * (floor or ceiling). A zero weight always gets 0.
 *
 * Integer arithmetic only: the remainders are compared as the integers (total·w_i) mod W. When a
 * product would exceed 2^53 (possible for multi-payer allocation, where weights are amounts of
 * money) the same computation runs on BigInt.
 */
export function apportion(total: Paise, weights: number[]): Paise[] {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`apportion: total must be a non-negative safe integer, got ${total}`);
  }
  let sum = 0;
  let maxW = 0;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new RangeError(`apportion: weights must be non-negative safe integers, got ${w}`);
    }
    sum += w;
    if (w > maxW) maxW = w;
  }
  if (!Number.isSafeInteger(sum) || sum <= 0) {
    throw new RangeError("apportion: weights must have a positive (safe) sum");
  }
  const n = weights.length;
  const parts: number[] = new Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  let left = total;

  if (Number.isSafeInteger(total * maxW)) {
    const rem: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const product = total * (weights[i] as number);
      const r = product % sum;
      const part = (product - r) / sum; // exact: product − r is a multiple of sum
      rem[i] = r;
      parts[i] = part;
      left -= part;
    }
    order.sort((i, j) => (rem[j] as number) - (rem[i] as number) || i - j);
  } else {
    const bigTotal = BigInt(total);
    const bigSum = BigInt(sum);
    const rem: bigint[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const product = bigTotal * BigInt(weights[i] as number);
      rem[i] = product % bigSum;
      const part = Number(product / bigSum); // ≤ total: safe
      parts[i] = part;
      left -= part;
    }
    order.sort((i, j) => {
      const a = rem[i] as bigint;
      const b = rem[j] as bigint;
      return a === b ? i - j : a > b ? -1 : 1;
    });
  }
  // 0 ≤ left < n: Σ floor(x_i) > Σ x_i − n. Units go to the largest remainders (all of them are
  // non-zero, since Σ rem_i = left·W and each rem_i < W).
  for (let k = 0; k < left; k++) {
    const i = order[k] as number;
    parts[i] = (parts[i] as number) + 1;
  }
  return parts;
}

/**
 * The EQUAL rule on its own: `total` (≥ 0) in `n` (≥ 1) parts of floor(total / n), the leftover
 * total mod n paise one each to the FIRST parts. 10000 in 3 → 3334, 3333, 3333. Shared by EQUAL,
 * ADJUSTMENT (whose remainder may be 0) and each item of an ITEMIZED split.
 */
export function equalParts(total: Paise, n: number): Paise[] {
  const base = divFloor(total, n);
  const extra = total - base * n;
  return Array.from({ length: n }, (_, i) => (i < extra ? base + 1 : base));
}

/** "must be a decimal number with at most 2 decimal places" (JPY: "…a whole number"). */
export function decimalsMessage(currency: string): string {
  const digits = minorDigits(currency);
  return digits === 0
    ? "must be a whole number (no decimal places)"
    : `must be a decimal number with at most ${digits} decimal places`;
}

/**
 * An amount in minor units of `currency` (INR unless said): more than 0 and at most 10,000,000
 * major units (1 crore for INR: ₹1,00,00,000.00).
 */
export function describeTotal(total: Paise, currency = "INR"): FieldIssue[] {
  if (!Number.isSafeInteger(total))
    return [{ field: "amount", message: decimalsMessage(currency) }];
  if (total <= 0) return [{ field: "amount", message: "must be greater than 0" }];
  const max = maxAmountMinor(currency);
  if (total > max) {
    const crore = currency === "INR" ? " (1 crore)" : "";
    return [{ field: "amount", message: `must be at most ${formatMoney(max, currency)}${crore}` }];
  }
  return [];
}

export function describeParticipants(participants: number[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const n = participants.length;
  if (n < 1) issues.push({ field: "participants", message: "must name at least one participant" });
  if (n > MAX_PARTICIPANTS) {
    issues.push({
      field: "participants",
      message: `must name at most ${MAX_PARTICIPANTS} participants, got ${n}`,
    });
  }
  const seen = new Set<number>();
  const dupes: number[] = [];
  participants.forEach((p, i) => {
    if (!Number.isSafeInteger(p)) {
      issues.push({ field: `participants[${i}]`, message: "must be a user id" });
    } else if (seen.has(p)) {
      if (!dupes.includes(p)) dupes.push(p);
    } else {
      seen.add(p);
    }
  });
  if (dupes.length > 0) {
    issues.push({
      field: "participants",
      message: `must not repeat users; repeated: ${dupes.join(", ")}`,
    });
  }
  return issues;
}

function describeValues(
  spec: SplitSpec,
  total: Paise | null,
  n: number,
  currency: string,
): FieldIssue[] {
  if (spec.type === "EQUAL") return [];
  const values = spec.type === "EXACT" ? spec.amounts : spec.basisPoints;
  const issues: FieldIssue[] = [];
  if (values.length !== n) {
    issues.push({
      field: "split_values",
      message: `must have one value per participant (${n}), got ${values.length}`,
    });
  }
  let sum = 0;
  let numeric = true;
  values.forEach((v, i) => {
    if (!Number.isSafeInteger(v)) {
      numeric = false;
      issues.push({
        field: `split_values[${i}]`,
        // Amounts (EXACT) have the currency's digits; percentages always 2.
        message: decimalsMessage(spec.type === "EXACT" ? currency : "INR"),
      });
    } else {
      if (v < 0) issues.push({ field: `split_values[${i}]`, message: "must not be negative" });
      sum += v;
    }
  });
  if (!numeric || values.length !== n || !Number.isSafeInteger(sum)) return issues;
  if (spec.type === "EXACT" && total !== null && sum !== total) {
    issues.push({
      field: "split_values",
      message: `must add up to ${formatMoney(total, currency)}; they add up to ${formatMoney(sum, currency)}`,
    });
  }
  if (spec.type === "PERCENTAGE" && sum !== FULL_PERCENT) {
    issues.push({
      field: "split_values",
      message: `percentages add up to ${formatPaise(sum)}, not 100`,
    });
  }
  return issues;
}

/**
 * Every problem of a split at once. A null total (the amount did not parse) or spec (a value did
 * not parse) skips only the checks that need it, so the participants are still checked.
 */
export function splitIssues(
  total: Paise | null,
  participants: number[],
  spec: SplitSpec | null,
  currency = "INR",
): FieldIssue[] {
  return [
    ...(total === null ? [] : describeTotal(total, currency)),
    ...describeParticipants(participants),
    ...(spec === null ? [] : describeValues(spec, total, participants.length, currency)),
  ];
}

/**
 * Splits `total` paise (minor units of `currency`, INR unless said: the rules are the same in
 * every currency, on its minor units) among `participants`, returning shares in their order.
 * - EQUAL: floor(total / n) each; the leftover total mod n paise go one each to the FIRST
 *   participants in the order given (100.00 / 3 → 33.34, 33.33, 33.33).
 * - EXACT: the given amounts, which must add up to `total` exactly.
 * - PERCENTAGE (basis points, must add up to exactly 10000): largest remainder via `apportion`,
 *   ties to earlier participants.
 * Shares always sum to `total` exactly. Every violation is reported at once, as a RuleViolation
 * whose issues name the API fields (`amount`, `participants`, `split_values`, `split_values[i]`).
 */
export function splitExpense(
  total: Paise,
  participants: number[],
  spec: SplitSpec,
  currency = "INR",
): Share[] {
  const issues = splitIssues(total, participants, spec, currency);
  if (issues.length > 0) throw new RuleViolation("The split is not valid", issues);

  const n = participants.length;
  let amounts: Paise[];
  if (spec.type === "EQUAL") {
    amounts = equalParts(total, n);
  } else if (spec.type === "EXACT") {
    amounts = spec.amounts;
  } else {
    amounts = apportion(total, spec.basisPoints);
  }
  return participants.map((userId, i) => ({ userId, amount: amounts[i] as Paise }));
}
