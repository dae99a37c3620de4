// TEMPORARY (being replaced by the exact algorithm): greedy only.
import type { NetPosition } from "./balances.js";
import type { Paise } from "./money.js";

export interface Transfer {
  from: number;
  to: number;
  amount: Paise;
}
export const EXACT_LIMIT = 24;

export function greedySettle(nets: NetPosition[]): Transfer[] {
  const cred = nets.filter((n) => n.net > 0).map((n) => ({ ...n }));
  const debt = nets.filter((n) => n.net < 0).map((n) => ({ ...n, net: -n.net }));
  const out: Transfer[] = [];
  for (;;) {
    cred.sort((a, b) => b.net - a.net || a.userId - b.userId);
    debt.sort((a, b) => b.net - a.net || a.userId - b.userId);
    const c = cred[0];
    const d = debt[0];
    if (!c || !d || c.net === 0 || d.net === 0) break;
    const amt = Math.min(c.net, d.net);
    out.push({ from: d.userId, to: c.userId, amount: amt });
    c.net -= amt;
    d.net -= amt;
  }
  return out;
}
export const simplifyDebts = greedySettle;
