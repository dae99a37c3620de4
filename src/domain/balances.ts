import type { PairDelta } from "./debts.js";
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

/**
 * The users connected to `userId` through non-zero pairwise balances, including `userId` itself
 * when it has any; sorted. Empty when the user has no non-zero balance.
 */
export function componentOf(userId: number, pairs: PairDelta[]): number[] {
  const adj = new Map<number, number[]>();
  const link = (a: number, b: number) => {
    const list = adj.get(a);
    if (list) list.push(b);
    else adj.set(a, [b]);
  };
  for (const p of pairs) {
    if (p.aOwesB === 0 || p.userA === p.userB) continue;
    link(p.userA, p.userB);
    link(p.userB, p.userA);
  }
  if (!adj.has(userId)) return [];
  const seen = new Set([userId]);
  const stack = [userId];
  for (let u = stack.pop(); u !== undefined; u = stack.pop()) {
    for (const v of adj.get(u) ?? []) {
      if (!seen.has(v)) {
        seen.add(v);
        stack.push(v);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}
