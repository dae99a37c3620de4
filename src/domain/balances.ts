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
