import { type FieldIssue, RuleViolation } from "./errors.js";
import { formatPaise, type Paise } from "./money.js";
import { apportion, type Share } from "./split.js";

export interface Payment {
  userId: number;
  amount: Paise;
}

/**
 * A change to (or the state of) one pair's balance, normalized so that userA < userB:
 * aOwesB > 0 means A owes B that much (more); aOwesB < 0 means B owes A. Never zero in lists
 * returned here.
 */
export interface PairDelta {
  userA: number;
  userB: number;
  aOwesB: Paise;
}

/**
 * A pair's balance (or change to it) in one currency, in its minor units. Balances in different
 * currencies are never added together: the ledger keeps one per pair and currency.
 */
export interface LedgerDelta extends PairDelta {
  currency: string;
}

/** An expense's or settlement's deltas (all in its currency) as ledger deltas. */
export function inCurrency(deltas: PairDelta[], currency: string): LedgerDelta[] {
  return deltas.map((d) => ({ ...d, currency }));
}

/**
 * `mergeDeltas` per currency: sums per (pair, currency), drops zeros, sorted by (userA, userB,
 * currency) — the order of every balance upsert, so concurrent writers lock rows alike.
 */
export function mergeLedgerDeltas(...lists: LedgerDelta[][]): LedgerDelta[] {
  const byCurrency = new Map<string, PairDelta[]>();
  for (const list of lists)
    for (const d of list) {
      const same = byCurrency.get(d.currency);
      if (same) same.push(d);
      else byCurrency.set(d.currency, [d]);
    }
  const out: LedgerDelta[] = [];
  for (const [currency, list] of byCurrency) out.push(...inCurrency(mergeDeltas(list), currency));
  return out.sort(byPairAndCurrency);
}

/** The order of balance rows: (userA, userB, currency). */
export const byPairAndCurrency = (x: LedgerDelta, y: LedgerDelta): number =>
  x.userA - y.userA ||
  x.userB - y.userB ||
  (x.currency < y.currency ? -1 : x.currency > y.currency ? 1 : 0);

/** `debtor` owes `creditor` `amount` more, as a normalized delta. */
function owes(debtor: number, creditor: number, amount: Paise): PairDelta {
  return debtor < creditor
    ? { userA: debtor, userB: creditor, aOwesB: amount }
    : { userA: creditor, userB: debtor, aOwesB: -amount };
}

/**
 * Sums deltas per pair, drops pairs that net to zero, and sorts by (userA, userB): the order in
 * which the database upserts them, so concurrent writers lock rows in the same order. Input that
 * is not normalized (userA > userB) is normalized; a "pair" of a user with itself is dropped.
 */
export function mergeDeltas(...lists: PairDelta[][]): PairDelta[] {
  const byPair = new Map<string, PairDelta>();
  for (const list of lists) {
    for (const d of list) {
      if (d.userA === d.userB) continue;
      const n = d.userA < d.userB ? d : owes(d.userB, d.userA, d.aOwesB);
      const key = `${n.userA}:${n.userB}`;
      const cur = byPair.get(key);
      if (cur) cur.aOwesB += n.aOwesB;
      else byPair.set(key, { userA: n.userA, userB: n.userB, aOwesB: n.aOwesB });
    }
  }
  return [...byPair.values()]
    .filter((d) => d.aOwesB !== 0)
    .sort((x, y) => x.userA - y.userA || x.userB - y.userB);
}

/** The same deltas with the opposite sign (currencies kept): reverses an expense or settlement. */
export function negateDeltas<T extends PairDelta>(d: T[]): T[] {
  return d.map((x) => ({ ...x, aOwesB: 0 - x.aOwesB }));
}

function describePayments(payers: Payment[], shares: Share[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (payers.length === 0) {
    issues.push({ field: "paid_by", message: "must name at least one payer" });
    return issues;
  }
  const seen = new Set<number>();
  let paid = 0;
  payers.forEach((p, i) => {
    const field = payers.length === 1 ? "paid_by" : `paid_by[${i}]`;
    if (seen.has(p.userId)) issues.push({ field, message: `repeats user ${p.userId}` });
    seen.add(p.userId);
    if (!Number.isSafeInteger(p.amount) || p.amount < 0) {
      issues.push({ field, message: "must pay a non-negative whole number of paise" });
    } else {
      paid += p.amount;
    }
  });
  if (issues.length > 0) return issues;
  let owed = 0;
  for (const s of shares) {
    if (!Number.isSafeInteger(s.amount) || s.amount < 0) {
      throw new RangeError(`shares must be non-negative whole paise, got ${s.amount}`);
    }
    owed += s.amount;
  }
  if (paid !== owed) {
    issues.push({
      field: "paid_by",
      message: `payments add up to ${formatPaise(paid)}, not the expense amount ${formatPaise(owed)}`,
    });
  }
  return issues;
}

/**
 * How an expense moves pairwise balances. Payments must add up to the shares (RuleViolation on
 * `paid_by` otherwise).
 *
 * Single payer (the common case): every participant other than the payer owes the payer their
 * share.
 *
 * Several payers: each participant's share is allocated across the payers in proportion to what
 * each paid, and the participant owes each payer its part (a person never owes themselves). The
 * allocation must hit BOTH margins exactly — row i sums to share_i and column j sums to paid_j —
 * or a payer's net would drift from paid − share by the rounding (apportioning each share
 * independently would round the same way every time: 1 paisa each to two people who paid 1 paisa
 * each, for two shares of 1 paisa, would send both paise to the first payer). So shares are
 * allocated one after another, each by `apportion` over what every payer has NOT yet had
 * allocated:
 *   part_ij = apportion(share_i, remaining_j),  remaining_j −= part_ij.
 * Without rounding, remaining_j / Σremaining stays paid_j / total, so this is exactly the
 * proportional split; with rounding it self-corrects. part_ij ≤ ⌈share_i·rem_j/Σrem⌉ ≤ rem_j
 * (share_i ≤ Σrem), so nothing goes negative, and the last share takes exactly what remains,
 * so every column sums to paid_j. Deterministic: shares and payers in the given order.
 *
 * Returns deltas aggregated per pair, zeros dropped, sorted by (userA, userB).
 */
export function expenseDeltas(payers: Payment[], shares: Share[]): PairDelta[] {
  const issues = describePayments(payers, shares);
  if (issues.length > 0) throw new RuleViolation("The payments are not valid", issues);

  const deltas: PairDelta[] = [];
  const [first] = payers;
  if (payers.length === 1 && first) {
    for (const s of shares) {
      if (s.userId !== first.userId && s.amount !== 0) {
        deltas.push(owes(s.userId, first.userId, s.amount));
      }
    }
    return mergeDeltas(deltas);
  }

  const remaining = payers.map((p) => p.amount);
  for (const s of shares) {
    if (s.amount === 0) continue;
    const parts = apportion(s.amount, remaining);
    payers.forEach((payer, j) => {
      const part = parts[j] as number;
      remaining[j] = (remaining[j] as number) - part;
      if (part !== 0 && payer.userId !== s.userId) deltas.push(owes(s.userId, payer.userId, part));
    });
  }
  return mergeDeltas(deltas);
}

/**
 * A payment of `amount` from `fromUser` to `toUser` reduces what fromUser owes toUser: in pair
 * terms toUser "owes" fromUser `amount` more, so overpaying flips the pair's direction.
 */
export function settlementDeltas(fromUser: number, toUser: number, amount: Paise): PairDelta[] {
  const issues: FieldIssue[] = [];
  if (fromUser === toUser) issues.push({ field: "to_user", message: "must differ from from_user" });
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    issues.push({ field: "amount", message: "must be greater than 0" });
  }
  if (issues.length > 0) throw new RuleViolation("The settlement is not valid", issues);
  return [owes(toUser, fromUser, amount)];
}
