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
import type { NetPosition } from "./balances.js";
import type { Paise } from "./money.js";

export interface Transfer {
  from: number;
  to: number;
  amount: Paise;
}

/**
 * Up to this many non-zero nets simplifyDebts is exact (minimum number of transfers), in well
 * under 250 ms in the worst case. Opposite pairs are removed first, so more people than this can
 * still be solved exactly when enough of them cancel out in pairs.
 */
export const EXACT_LIMIT = 24;

interface Party {
  userId: number;
  net: number;
}

/** Validates, drops zero nets and sorts by userId: the canonical order every algorithm uses. */
function canonical(nets: NetPosition[]): Party[] {
  const seen = new Set<number>();
  const out: Party[] = [];
  let sum = 0;
  let magnitude = 0;
  for (const { userId, net } of nets) {
    if (!Number.isSafeInteger(net))
      throw new RangeError(`net of user ${userId} is not whole paise`);
    if (seen.has(userId)) throw new Error(`user ${userId} appears twice in the nets`);
    seen.add(userId);
    sum += net;
    magnitude += Math.abs(net);
    if (net !== 0) out.push({ userId, net });
  }
  // With Σ|net| safe, every partial and subset sum below is an exact integer.
  if (!Number.isSafeInteger(magnitude)) throw new RangeError("nets are too large to settle");
  if (sum !== 0) throw new Error(`nets must sum to zero, got ${sum}`);
  return out.sort((a, b) => a.userId - b.userId);
}

function byTransfer(a: Transfer, b: Transfer): number {
  return a.from - b.from || a.to - b.to;
}

// ---------------------------------------------------------------------------------------------
// Greedy: largest creditor against largest debtor.

/** Max-heap of parties by remaining amount, ties to the smaller userId. */
class PartyHeap {
  private readonly items: Party[] = [];

  get size(): number {
    return this.items.length;
  }

  private above(a: Party, b: Party): boolean {
    return a.net > b.net || (a.net === b.net && a.userId < b.userId);
  }

  push(p: Party): void {
    const items = this.items;
    let i = items.length;
    items.push(p);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = items[parent] as Party;
      if (!this.above(p, up)) break;
      items[i] = up;
      i = parent;
    }
    items[i] = p;
  }

  pop(): Party | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      const child = r < items.length && this.above(items[r] as Party, items[l] as Party) ? r : l;
      const c = items[child] as Party;
      if (!this.above(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * Greedy settlement of parties whose nets sum to zero: repeatedly the largest creditor receives
 * from the largest debtor (ties by userId) the smaller of the two amounts. At most n − 1
 * transfers. O(n log n).
 */
function settleGreedy(parties: Party[], out: Transfer[]): void {
  const creditors = new PartyHeap();
  const debtors = new PartyHeap();
  for (const p of parties) {
    if (p.net > 0) creditors.push({ userId: p.userId, net: p.net });
    else if (p.net < 0) debtors.push({ userId: p.userId, net: -p.net });
  }
  for (;;) {
    const c = creditors.pop();
    const d = debtors.pop();
    if (!c || !d) break;
    const amount = Math.min(c.net, d.net);
    out.push({ from: d.userId, to: c.userId, amount });
    if (c.net > amount) creditors.push({ userId: c.userId, net: c.net - amount });
    if (d.net > amount) debtors.push({ userId: d.userId, net: d.net - amount });
  }
}

/** The classic greedy (largest creditor vs largest debtor, ties by userId): the baseline. */
export function greedySettle(nets: NetPosition[]): Transfer[] {
  const out: Transfer[] = [];
  settleGreedy(canonical(nets), out);
  return out.sort(byTransfer);
}

// ---------------------------------------------------------------------------------------------
// Reductions.

/**
 * Settles every exactly opposite pair (x, −x) with one transfer and returns the others (sorted by
 * userId). Safe for optimality (exchange argument): take an optimal partition into zero-sum
 * groups. If x and −x share a group G, splitting G into {x, −x} and G \ {x, −x} (zero-sum, empty
 * only if G was the pair) does not reduce the number of groups. If they are in different groups
 * G1 ∋ x and G2 ∋ −x, replacing G1, G2 by {x, −x} and (G1 ∪ G2) \ {x, −x} (zero-sum) keeps or
 * raises the count. So some optimal partition has {x, −x} as a group, and the rest of it is an
 * optimal partition of the remaining nets; repeat. Within a value, pairs match in userId order.
 * Afterwards no zero-sum pair remains, so every remaining zero-sum group has at least 3 people.
 */
function takeOppositePairs(parties: Party[], out: Transfer[]): Party[] {
  const byMagnitude = new Map<number, { pos: Party[]; neg: Party[] }>();
  for (const p of parties) {
    const key = Math.abs(p.net);
    let bucket = byMagnitude.get(key);
    if (!bucket) {
      bucket = { pos: [], neg: [] };
      byMagnitude.set(key, bucket);
    }
    (p.net > 0 ? bucket.pos : bucket.neg).push(p);
  }
  const rest: Party[] = [];
  for (const [amount, { pos, neg }] of byMagnitude) {
    const k = Math.min(pos.length, neg.length);
    for (let i = 0; i < k; i++) {
      out.push({ from: (neg[i] as Party).userId, to: (pos[i] as Party).userId, amount });
    }
    for (let i = k; i < pos.length; i++) rest.push(pos[i] as Party);
    for (let i = k; i < neg.length; i++) rest.push(neg[i] as Party);
  }
  return rest.sort((a, b) => a.userId - b.userId);
}

// ---------------------------------------------------------------------------------------------
// Exact: the largest partition into zero-sum groups, for up to EXACT_LIMIT (reduced) nets.
//
// Subsets of the m nets are bitmasks. Let dp(M) = the largest number of disjoint zero-sum groups
// inside M. The classic recurrence dp(M) = [ΣM = 0] + max_{i∈M} dp(M \ i) costs m·2^m steps
// (4·10^8 at m = 24: seconds in JS). We use two facts instead:
//
//  (F1) dp(M) = max { dp(Z) : Z ⊆ M, ΣZ = 0 }   (the union of a packing is a zero-sum subset).
//  (F2) For zero-sum Z ≠ ∅ and ANY i ∈ Z: dp(Z) = 1 + dp(Z \ i).
//       (≥: the groups of Z other than the one holding i stay inside Z \ i. ≤: Z \ i sums to
//       −x_i ≠ 0, so its best packing leaves some elements over; with i they form one more
//       zero-sum group of Z.)
//
// With A_t = { zero-sum Z ≠ ∅ : dp(Z) ≥ t } these give a level-by-level computation:
//    A_1 = all non-empty zero-sum subsets,
//    A_{t+1} = { Z ∈ A_t : Z \ lowbit(Z) contains some member of A_t },
// and the answer is k = the largest t with the full set in A_t. Zero-sum subsets are enumerated by
// meet in the middle (subset sums of the two halves, 2^12 + 2^12 at m = 24, joined by a hash
// map), so no 2^24 sum table is needed. "Contains a member of A_t" is answered either by a scan
// of A_t (when it is small) or by a bitset of all 2^m masks closed upwards one dimension at a
// time, 32 masks per machine word (m·2^m/32 word operations per level, a few ms at m = 24).
// Since no zero-sum pair remains after takeOppositePairs, members of A_t have ≥ 3t elements,
// so k ≤ m/3 ≤ 8 levels; a level is only built while the full set is still in it.
// The number of zero-sum subsets is at most C(m, m/2) (Erdős's Littlewood–Offord bound), so all
// the work is O(m·2^m/32 · k + C(m, m/2) · k + 2^(m/2)) — measured in bench/simplify.bench.ts.
//
// The groups are read back from the levels: starting from the full set Z_k ∈ A_k, pick any
// Z_{t−1} ∈ A_{t−1} strictly inside Z_t (one exists by construction); Z_t \ Z_{t−1} is a group.

const BIT_ZERO = [0x55555555, 0x33333333, 0x0f0f0f0f, 0x00ff00ff, 0x0000ffff];

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Sums of all subsets of values[start, start + count): sums[mask]. */
function subsetSums(values: number[], start: number, count: number): Float64Array {
  const sums = new Float64Array(1 << count);
  for (let mask = 1; mask < sums.length; mask++) {
    const low = mask & -mask;
    sums[mask] = (sums[mask ^ low] as number) + (values[start + 31 - Math.clz32(low)] as number);
  }
  return sums;
}

/**
 * All non-empty zero-sum subsets of `values` (m ≤ 30) that are canonical for `dup`, as ascending
 * bitmasks. Bit i of `dup` is set when values[i] equals values[i − 1]; a canonical subset takes
 * the first copies of every repeated value (mask & dup & ~(mask << 1) = 0).
 */
function zeroSumSubsets(values: number[], dup: number): Int32Array {
  const m = values.length;
  const lo = m >> 1;
  const loBits = (1 << lo) - 1;
  const sumLo = subsetSums(values, 0, lo);
  const sumHi = subsetSums(values, lo, m - lo);
  const dupLo = dup & loBits;
  const dupHi = (dup >>> lo) & ~1; // bit lo pairs with bit lo − 1: checked on the whole mask
  const bySum = new Map<number, number[]>();
  for (let l = 0; l < sumLo.length; l++) {
    if ((l & dupLo & ~(l << 1)) !== 0) continue;
    const s = sumLo[l] as number;
    const list = bySum.get(s);
    if (list) list.push(l);
    else bySum.set(s, [l]);
  }
  let out = new Int32Array(256);
  let len = 0;
  for (let h = 0; h < sumHi.length; h++) {
    if ((h & dupHi & ~(h << 1)) !== 0) continue;
    const list = bySum.get(-(sumHi[h] as number)); // Map keys: −0 and 0 are the same key
    if (!list) continue;
    for (const l of list) {
      const mask = (h << lo) | l;
      if (mask === 0 || (mask & dup & ~(mask << 1)) !== 0) continue;
      if (len === out.length) {
        const grown = new Int32Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[len++] = mask;
    }
  }
  return out.subarray(0, len);
}

/**
 * A test "does mask M contain some member of `family`?" over masks of m bits, for `queries`
 * upcoming calls: a linear scan when that is cheap, else a bitset of the up-closure of `family`.
 */
function containsMemberTest(
  family: Int32Array,
  m: number,
  queries: number,
): (mask: number) => boolean {
  const words = m > 5 ? 1 << (m - 5) : 1;
  if (family.length * queries <= 4 * m * words) {
    return (mask) => {
      for (let i = 0; i < family.length; i++) {
        if (((family[i] as number) & ~mask) === 0) return true;
      }
      return false;
    };
  }
  const bits = new Int32Array(words);
  for (let i = 0; i < family.length; i++) {
    const z = family[i] as number;
    bits[z >>> 5] = (bits[z >>> 5] as number) | (1 << (z & 31));
  }
  // Up-closure, dimension by dimension: every set bit at a mask without bit j is copied to the
  // mask with bit j. Bits 0..4 index inside a word, bits 5.. index words.
  for (let j = 0; j < Math.min(m, 5); j++) {
    const keep = BIT_ZERO[j] as number;
    const shift = 1 << j;
    for (let w = 0; w < words; w++) {
      const x = bits[w] as number;
      bits[w] = x | ((x & keep) << shift);
    }
  }
  for (let j = 5; j < m; j++) {
    const stride = 1 << (j - 5);
    for (let base = 0; base < words; base += 2 * stride) {
      for (let w = base; w < base + stride; w++) {
        bits[w + stride] = (bits[w + stride] as number) | (bits[w] as number);
      }
    }
  }
  return (mask) => (((bits[mask >>> 5] as number) >>> (mask & 31)) & 1) === 1;
}

/**
 * The largest partition of `values` (non-zero, summing to 0, m ≤ EXACT_LIMIT) into zero-sum
 * groups, as bitmasks over the indices. Deterministic for a given order of values.
 */
function maxZeroSumPartition(values: number[]): number[] {
  const m = values.length;
  if (m === 0) return [];
  const full = (1 << m) - 1; // m ≤ 30
  let dup = 0;
  for (let i = 1; i < m; i++) if (values[i] === values[i - 1]) dup |= 1 << i;
  let level = zeroSumSubsets(values, dup); // A_1, ascending; its last element is the full set
  let minSize = m;
  for (let i = 0; i < level.length; i++) minSize = Math.min(minSize, popcount(level[i] as number));
  const levels = [level];
  for (let t = 1; ; t++) {
    // Candidates for A_{t+1}: members of A_t big enough to hold t + 1 groups.
    const need = (t + 1) * minSize;
    const candidates = new Int32Array(level.length);
    let count = 0;
    for (let i = 0; i < level.length; i++) {
      const z = level[i] as number;
      if (popcount(z) >= need) candidates[count++] = z;
    }
    if (count === 0 || candidates[count - 1] !== full) break;
    const contains = containsMemberTest(level, m, count);
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const z = candidates[i] as number;
      if (contains(z ^ (1 << (31 - Math.clz32(z))))) candidates[kept++] = z;
    }
    if (kept === 0 || candidates[kept - 1] !== full) break;
    level = candidates.subarray(0, kept);
    levels.push(level);
  }
  const groups: number[] = [];
  let current = full;
  for (let t = levels.length - 1; t >= 1; t--) {
    const below = levels[t - 1] as Int32Array;
    let inner = 0;
    for (let i = 0; i < below.length; i++) {
      const z = below[i] as number;
      if ((z & ~current) === 0 && z !== current) {
        inner = z;
        break;
      }
    }
    if (inner === 0) throw new Error("simplify: inconsistent levels"); // unreachable
    groups.push(current & ~inner);
    current = inner;
  }
  groups.push(current);
  return groups;
}

/** Settles `parties` (≤ EXACT_LIMIT, no zero, no opposite pair) in the minimum of transfers. */
function settleExact(parties: Party[], out: Transfer[]): void {
  // Equal nets side by side (then by userId): canonical subsets only pick their first copies.
  const sorted = [...parties].sort((a, b) => a.net - b.net || a.userId - b.userId);
  const groups = maxZeroSumPartition(sorted.map((p) => p.net));
  for (const g of groups)
    settleGreedy(
      sorted.filter((_, i) => (g >>> i) & 1),
      out,
    );
}

// ---------------------------------------------------------------------------------------------
// Heuristic for more than EXACT_LIMIT nets (after removing opposite pairs).

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

function settleHeuristic(parties: Party[], out: Transfer[]): void {
  const { groups, rest } = takeSmallGroups(parties);
  for (const g of groups)
    settleGreedy(
      g.map((i) => parties[i] as Party),
      out,
    );
  if (rest.length <= EXACT_LIMIT) settleExact(rest, out);
  else settleGreedy(rest, out);
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
