// Heuristic for more than EXACT_LIMIT nets (after removing opposite pairs): take small zero-sum
// groups cheaply, then settle the rest exactly if it is small enough, else greedily.
import { EXACT_LIMIT, settleExact } from "./exact.js";
import { settleGreedy } from "./greedy.js";
import type { Party, Transfer } from "./parties.js";

/**
 * Work budget (inner-loop steps) for extracting small groups, so that the heuristic stays fast for
 * any n; the budget is a count, so the result stays deterministic.
 */
const SMALL_GROUP_BUDGET = 4_000_000;

/** Index lists by value, each ascending. */
function indexByValue(values: number[], indices: number[]): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const i of indices) {
    const v = values[i] as number;
    const list = map.get(v);
    if (list) list.push(i);
    else map.set(v, [i]);
  }
  return map;
}

/** The first alive index in the ascending `list` that is greater than `after`; -1 when none. */
function firstAliveAfter(list: number[] | undefined, alive: Uint8Array, after: number): number {
  if (!list) return -1;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) > after) hi = mid;
    else lo = mid + 1;
  }
  for (let x = lo; x < list.length; x++) {
    const k = list[x] as number;
    if (alive[k]) return k;
  }
  return -1;
}

/**
 * Cheaply extracts small zero-sum groups, deterministically in index order: triples (two of one
 * sign against one of the other), then quadruples of two against two (through a map of pair
 * sums), then three against one. One pass per kind finds a maximal set of groups of that kind,
 * since removing people never creates a new group among the others. Bounded by a work budget.
 */
function takeSmallGroups(parties: Party[]): { groups: number[][]; rest: Party[] } {
  const m = parties.length;
  const values = parties.map((p) => p.net);
  const alive = new Uint8Array(m).fill(1);
  const groups: number[][] = [];
  const all = Array.from({ length: m }, (_, i) => i);
  const pos = all.filter((i) => (values[i] as number) > 0);
  const neg = all.filter((i) => (values[i] as number) < 0);
  const byValue = indexByValue(values, all);
  let budget = SMALL_GROUP_BUDGET;

  // Two against one.
  for (const side of [pos, neg]) {
    for (let a = 0; a < side.length && budget > 0; a++) {
      const i = side[a] as number;
      for (let b = a + 1; b < side.length && alive[i]; b++, budget--) {
        const j = side[b] as number;
        if (!alive[j]) continue;
        const target = -((values[i] as number) + (values[j] as number));
        const k = firstAliveAfter(byValue.get(target), alive, -1);
        if (k < 0) continue;
        alive[i] = alive[j] = alive[k] = 0;
        groups.push([i, j, k]);
      }
    }
  }

  // Two against two.
  const pairSums = new Map<number, [number, number][]>();
  for (let a = 0; a < pos.length && budget > 0; a++) {
    for (let b = a + 1; b < pos.length; b++, budget--) {
      const i = pos[a] as number;
      const j = pos[b] as number;
      if (!alive[i] || !alive[j]) continue;
      const s = (values[i] as number) + (values[j] as number);
      const list = pairSums.get(s);
      if (list) list.push([i, j]);
      else pairSums.set(s, [[i, j]]);
    }
  }
  for (let a = 0; a < neg.length && budget > 0; a++) {
    const k = neg[a] as number;
    for (let b = a + 1; b < neg.length && alive[k]; b++, budget--) {
      const l = neg[b] as number;
      if (!alive[l]) continue;
      const list = pairSums.get(-((values[k] as number) + (values[l] as number)));
      if (!list) continue;
      // Drop used pairs from the front, then take the first pair that is still whole.
      for (const [i, j] of list) {
        budget--;
        if (!alive[i] || !alive[j]) continue;
        alive[i] = alive[j] = alive[k] = alive[l] = 0;
        groups.push([i, j, k, l]);
        break;
      }
    }
  }

  // Three against one.
  for (const [many, one] of [
    [pos, neg],
    [neg, pos],
  ] as const) {
    for (const d of one) {
      for (let a = 0; a < many.length && alive[d] && budget > 0; a++) {
        const i = many[a] as number;
        if (!alive[i]) continue;
        for (let b = a + 1; b < many.length; b++, budget--) {
          const j = many[b] as number;
          if (!alive[j]) continue;
          const target = -((values[d] as number) + (values[i] as number) + (values[j] as number));
          // The third comes after j: each triple is considered once and i, j are never reused.
          // d itself may have the target value (2·d = −(i + j)): it must not count twice.
          alive[d] = 0;
          const k = firstAliveAfter(byValue.get(target), alive, j);
          alive[d] = 1;
          if (k < 0) continue;
          alive[d] = alive[i] = alive[j] = alive[k] = 0;
          groups.push([i, j, k, d]);
          break;
        }
      }
    }
  }
  return { groups, rest: parties.filter((_, i) => alive[i]) };
}

/** Settles `parties` (more than EXACT_LIMIT, no zero, no opposite pair) in few transfers. */
export function settleHeuristic(parties: Party[], out: Transfer[]): void {
  const { groups, rest } = takeSmallGroups(parties);
  for (const g of groups)
    settleGreedy(
      g.map((i) => parties[i] as Party),
      out,
    );
  if (rest.length <= EXACT_LIMIT) settleExact(rest, out);
  else settleGreedy(rest, out);
}
