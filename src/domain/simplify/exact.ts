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

import { settleGreedy } from "./greedy.js";
import type { Party, Transfer } from "./parties.js";

/**
 * Up to this many non-zero nets simplifyDebts is exact (minimum number of transfers), in well
 * under 250 ms in the worst case. Opposite pairs are removed first, so more people than this can
 * still be solved exactly when enough of them cancel out in pairs.
 */
export const EXACT_LIMIT = 24;

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
export function settleExact(parties: Party[], out: Transfer[]): void {
  // Equal nets side by side (then by userId): canonical subsets only pick their first copies.
  const sorted = [...parties].sort((a, b) => a.net - b.net || a.userId - b.userId);
  const groups = maxZeroSumPartition(sorted.map((p) => p.net));
  for (const g of groups)
    settleGreedy(
      sorted.filter((_, i) => (g >>> i) & 1),
      out,
    );
}
