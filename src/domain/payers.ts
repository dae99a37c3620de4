import { formatMinor } from "./currency.js";
import type { Payment } from "./debts.js";
import type { FieldIssue } from "./errors.js";
import type { Paise } from "./money.js";
import { MAX_PARTICIPANTS } from "./split.js";

/**
 * Every problem with who paid an expense of `total` paise (minor units of `currency`, INR unless said): at least one payer (and at most
 * MAX_PARTICIPANTS), user ids, no user twice, every amount > 0, and the amounts adding up to
 * exactly `total`. Fields are the API's: `payers`, `payers[i].userid`, `payers[i].amount`.
 */
export function describePayers(payers: Payment[], total: Paise, currency = "INR"): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (payers.length < 1 || payers.length > MAX_PARTICIPANTS) {
    issues.push({ field: "payers", message: `must name 1 to ${MAX_PARTICIPANTS} payers` });
  }
  const seen = new Set<number>();
  const repeated: number[] = [];
  let paid = 0;
  let summable = true;
  payers.forEach((p, i) => {
    if (!Number.isSafeInteger(p.userId) || p.userId <= 0) {
      issues.push({ field: `payers[${i}].userid`, message: "must be a user id" });
    } else if (seen.has(p.userId)) {
      if (!repeated.includes(p.userId)) repeated.push(p.userId);
    } else {
      seen.add(p.userId);
    }
    if (!Number.isSafeInteger(p.amount) || p.amount <= 0) {
      summable = false;
      issues.push({ field: `payers[${i}].amount`, message: "must be greater than 0" });
    } else {
      paid += p.amount;
    }
  });
  if (repeated.length > 0) {
    issues.push({
      field: "payers",
      message: `must not repeat users; repeated: ${repeated.join(", ")}`,
    });
  }
  if (summable && payers.length > 0 && Number.isSafeInteger(total) && paid !== total) {
    issues.push({
      field: "payers",
      message: `payments add up to ${formatMinor(paid, currency)}, not the expense amount ${formatMinor(total, currency)}`,
    });
  }
  return issues;
}

/** The API's `paid_by`: the payer's id when there is exactly one payer, null when several. */
export function paidBy(payers: Payment[]): number | null {
  return payers.length === 1 ? (payers[0]?.userId ?? null) : null;
}

/** What `userId` owes (`owes` > 0) or is owed (`owes` < 0) by one other person. */
export interface Counterparty {
  userId: number;
  owes: Paise;
}

type Deltas = { userA: number; userB: number; aOwesB: Paise }[];

/**
 * One person's side of pairwise deltas (e.g. an expense's, from `expenseDebts`), for messages like
 * "you owe A ₹15.00 and B ₹10.00": every other person with a non-zero amount, in the deltas'
 * order (by user id). `owes` > 0: `userId` owes them; < 0: they owe `userId`.
 */
export function counterparties(deltas: Deltas, userId: number): Counterparty[] {
  return counterpartiesOfEach(deltas).get(userId) ?? [];
}

/** `counterparties` of every person at once, in one pass (a mail per participant needs all). */
export function counterpartiesOfEach(deltas: Deltas): Map<number, Counterparty[]> {
  const out = new Map<number, Counterparty[]>();
  const add = (id: number, c: Counterparty) => {
    const list = out.get(id);
    if (list) list.push(c);
    else out.set(id, [c]);
  };
  for (const d of deltas) {
    if (d.aOwesB === 0) continue;
    add(d.userA, { userId: d.userB, owes: d.aOwesB });
    add(d.userB, { userId: d.userA, owes: -d.aOwesB });
  }
  return out;
}
