import type { LedgerDelta, PairDelta } from "./debts.js";
import type { Paise } from "./money.js";

/** net > 0: others owe this user; net < 0: this user owes others. */
export interface NetPosition {
  userId: number;
  net: Paise;
}

/**
 * Each user's net position from pairwise balance rows (A owes B x ⇒ A: −x, B: +x). Sorted by
 * userId; users whose net is zero are omitted. The nets always sum to zero.
 */
export function netPositions(pairs: PairDelta[]): NetPosition[] {
  const nets = new Map<number, number>();
  for (const p of pairs) {
    if (p.aOwesB === 0) continue;
    nets.set(p.userA, (nets.get(p.userA) ?? 0) - p.aOwesB);
    nets.set(p.userB, (nets.get(p.userB) ?? 0) + p.aOwesB);
  }
  const out: NetPosition[] = [];
  for (const [userId, net] of nets) if (net !== 0) out.push({ userId, net });
  return out.sort((a, b) => a.userId - b.userId);
}

/** A net in one currency (minor units). */
export interface CurrencyAmount {
  currency: string;
  amount: Paise;
}

/** Pair rows split by currency, currencies in code order. */
export function byCurrency<T extends LedgerDelta>(pairs: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const p of pairs) {
    const same = out.get(p.currency);
    if (same) same.push(p);
    else out.set(p.currency, [p]);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Every user's net in each currency from pair rows, zeros omitted, by currency code:
 * `[{currency: "INR", amount: 500}, {currency: "JPY", amount: -300}]`. Users without any
 * non-zero net are absent.
 */
export function netsByUser(pairs: LedgerDelta[]): Map<number, CurrencyAmount[]> {
  const sums = new Map<number, Map<string, number>>();
  const add = (user: number, currency: string, amount: number) => {
    const mine = sums.get(user) ?? new Map<string, number>();
    sums.set(user, mine.set(currency, (mine.get(currency) ?? 0) + amount));
  };
  for (const p of pairs) {
    add(p.userA, p.currency, -p.aOwesB);
    add(p.userB, p.currency, p.aOwesB);
  }
  const out = new Map<number, CurrencyAmount[]>();
  for (const [user, mine] of sums) {
    const nets = [...mine]
      .filter(([, amount]) => amount !== 0)
      .map(([currency, amount]) => ({ currency, amount }))
      .sort((a, b) => (a.currency < b.currency ? -1 : 1));
    if (nets.length > 0) out.set(user, nets);
  }
  return out;
}

/** One user's nets (see `netsByUser`). */
export const netsOf = (userId: number, pairs: LedgerDelta[]): CurrencyAmount[] =>
  netsByUser(pairs.filter((p) => p.userA === userId || p.userB === userId)).get(userId) ?? [];

/** The amount in `currency` of a list of nets (0 when absent). */
export const amountIn = (nets: CurrencyAmount[], currency: string): Paise =>
  nets.find((n) => n.currency === currency)?.amount ?? 0;
