import { RuleViolation } from "./errors.js";
import type { Paise } from "./money.js";
import { apportion, type Share } from "./split.js";

export interface Payment {
  userId: number;
  amount: Paise;
}

/** A change to one pair's balance: userA < userB; aOwesB > 0 means A owes B more, < 0 the reverse. */
export interface PairDelta {
  userA: number;
  userB: number;
  aOwesB: Paise;
}

/** Sums deltas per pair, drops zeros, and sorts by (userA, userB): the database's lock order. */
export function mergeDeltas(...lists: PairDelta[][]): PairDelta[] {
  const byPair = new Map<string, PairDelta>();
  for (const list of lists) {
    for (const d of list) {
      const key = `${d.userA}:${d.userB}`;
      const cur = byPair.get(key);
      if (cur) cur.aOwesB += d.aOwesB;
      else byPair.set(key, { ...d });
    }
  }
  return [...byPair.values()]
    .filter((d) => d.aOwesB !== 0)
    .sort((x, y) => x.userA - y.userA || x.userB - y.userB);
}

/** `debtor` owes `creditor` `amount` more, as a normalized delta. */
function owes(debtor: number, creditor: number, amount: Paise): PairDelta {
  return debtor < creditor
    ? { userA: debtor, userB: creditor, aOwesB: amount }
    : { userA: creditor, userB: debtor, aOwesB: -amount };
}

/**
 * How an expense moves pairwise balances: each participant owes each payer their share, split
 * across payers in proportion to what each paid (largest remainder; ties to the earlier payer).
 * With one payer, every other participant simply owes the payer their share.
 */
export function expenseDeltas(payers: Payment[], shares: Share[]): PairDelta[] {
  const paid = payers.reduce((s, p) => s + p.amount, 0);
  const owed = shares.reduce((s, x) => s + x.amount, 0);
  if (payers.length === 0 || paid !== owed) {
    throw new RuleViolation("Payments must add up to the expense amount", [
      { field: "paid_by", message: "payments must add up to the expense amount" },
    ]);
  }
  const weights = payers.map((p) => p.amount);
  const deltas: PairDelta[] = [];
  for (const share of shares) {
    if (share.amount === 0) continue;
    const parts = payers.length === 1 ? [share.amount] : apportion(share.amount, weights);
    payers.forEach((payer, i) => {
      const part = parts[i] as number;
      if (payer.userId !== share.userId && part !== 0)
        deltas.push(owes(share.userId, payer.userId, part));
    });
  }
  return mergeDeltas(deltas);
}

/** A payment from `fromUser` to `toUser` reduces what fromUser owes toUser (and may flip it). */
export function settlementDeltas(fromUser: number, toUser: number, amount: Paise): PairDelta[] {
  return mergeDeltas([owes(toUser, fromUser, amount)]);
}

export function negateDeltas(d: PairDelta[]): PairDelta[] {
  return d.map((x) => ({ ...x, aOwesB: -x.aOwesB }));
}
