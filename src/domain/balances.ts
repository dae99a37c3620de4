import type { PairDelta } from "./debts.js";
import type { Paise } from "./money.js";

/** net > 0: others owe this user; net < 0: this user owes others. */
export interface NetPosition {
  userId: number;
  net: Paise;
}

/** Each user's net position from pairwise balances; sorted by user, zero nets omitted. */
export function netPositions(pairs: PairDelta[]): NetPosition[] {
  const nets = new Map<number, number>();
  for (const p of pairs) {
    nets.set(p.userA, (nets.get(p.userA) ?? 0) - p.aOwesB);
    nets.set(p.userB, (nets.get(p.userB) ?? 0) + p.aOwesB);
  }
  return [...nets.entries()]
    .filter(([, net]) => net !== 0)
    .map(([userId, net]) => ({ userId, net }))
    .sort((a, b) => a.userId - b.userId);
}

/** Users linked to `userId` through non-zero balances (including userId when it has any), sorted. */
export function componentOf(userId: number, pairs: PairDelta[]): number[] {
  const adj = new Map<number, number[]>();
  for (const p of pairs) {
    if (p.aOwesB === 0) continue;
    adj.set(p.userA, [...(adj.get(p.userA) ?? []), p.userB]);
    adj.set(p.userB, [...(adj.get(p.userB) ?? []), p.userA]);
  }
  if (!adj.has(userId)) return [];
  const seen = new Set([userId]);
  const stack = [userId];
  while (stack.length > 0) {
    const u = stack.pop() as number;
    for (const v of adj.get(u) ?? []) {
      if (!seen.has(v)) {
        seen.add(v);
        stack.push(v);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}
