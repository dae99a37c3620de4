/**
 * Debt simplification: given everyone's net position, find transfers that settle all of them,
 * using as few transfers as possible.
 *
 * Lower bound. Draw the transfers as a graph on the n people with a non-zero net. Every
 * connected component settles itself, so its nets sum to zero, and a connected graph on s
 * vertices has at least s − 1 edges. Hence #transfers ≥ n − c, where c is the number of
 * components, and c ≤ k := the largest number of disjoint zero-sum groups partitioning the nets.
 * Upper bound. Any zero-sum group of size s is settled by greedy matching in at most s − 1
 * transfers (each transfer zeroes at least one person, the last one zeroes two). So the optimum
 * is exactly n − k, and the problem is: partition the nets into as many zero-sum groups as
 * possible (NP-hard in general; exact here for up to EXACT_LIMIT people after reductions).
 */
import { byCurrency, type NetPosition, netPositions } from "./balances.js";
import type { LedgerDelta } from "./debts.js";
import { EXACT_LIMIT, settleExact } from "./simplify/exact.js";
import { settleGreedy } from "./simplify/greedy.js";
import { settleHeuristic } from "./simplify/heuristic.js";
import { byTransfer, canonical, type Transfer, takeOppositePairs } from "./simplify/parties.js";

export { EXACT_LIMIT } from "./simplify/exact.js";
export type { Transfer } from "./simplify/parties.js";

/** The classic greedy (largest creditor vs largest debtor, ties by userId): the baseline. */
export function greedySettle(nets: NetPosition[]): Transfer[] {
  const out: Transfer[] = [];
  settleGreedy(canonical(nets), out);
  return out.sort(byTransfer);
}

/**
 * Transfers that settle every net exactly: after applying them every net is 0, every amount is
 * > 0, nobody pays themselves, and there are at most n − 1 of them for n non-zero nets. Sorted by
 * (from, to); the same nets in any order give the same result.
 *
 * - Exact minimum number of transfers whenever at most EXACT_LIMIT nets remain after settling
 *   exactly opposite pairs (in particular for any n ≤ EXACT_LIMIT).
 * - Otherwise a heuristic: opposite pairs, then small zero-sum groups (3 and 4 people), then the
 *   exact solver if the rest is small enough, else greedy; the result is compared with plain
 *   greedySettle and the one with fewer transfers is returned, so it is never worse than greedy.
 *
 * Throws if the nets do not sum to zero (a programming error: pairwise balances always do).
 */
export function simplifyDebts(nets: NetPosition[]): Transfer[] {
  const parties = canonical(nets);
  const out: Transfer[] = [];
  const rest = takeOppositePairs(parties, out);
  if (rest.length <= EXACT_LIMIT) {
    settleExact(rest, out);
    return out.sort(byTransfer);
  }
  settleHeuristic(rest, out);
  const greedy: Transfer[] = [];
  settleGreedy(parties, greedy);
  return (greedy.length < out.length ? greedy : out).sort(byTransfer);
}

/** A transfer in one currency. */
export interface CurrencyTransfer extends Transfer {
  currency: string;
}

/** (from, to, currency): the order balances are listed in. */
export const byTransferAndCurrency = (a: CurrencyTransfer, b: CurrencyTransfer): number =>
  a.from - b.from ||
  a.to - b.to ||
  (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0);

/**
 * The fewest transfers that settle pairwise balances kept in several currencies: `simplifyDebts`
 * on each currency's nets on its own (amounts in different currencies are never netted against
 * each other). Sorted by (from, to, currency).
 */
export function simplifyPerCurrency(pairs: LedgerDelta[]): CurrencyTransfer[] {
  const out: CurrencyTransfer[] = [];
  for (const [currency, rows] of byCurrency(pairs))
    for (const t of simplifyDebts(netPositions(rows))) out.push({ ...t, currency });
  return out.sort(byTransferAndCurrency);
}

/** The pairwise balances themselves as transfers (who owes whom, in each currency). */
export function pairTransfers(pairs: LedgerDelta[]): CurrencyTransfer[] {
  return pairs
    .filter((p) => p.aOwesB !== 0)
    .map((p) =>
      p.aOwesB > 0
        ? { from: p.userA, to: p.userB, amount: p.aOwesB, currency: p.currency }
        : { from: p.userB, to: p.userA, amount: -p.aOwesB, currency: p.currency },
    )
    .sort(byTransferAndCurrency);
}
