// What the greedy, exact and heuristic settlements share: the validated input, the output
// order, and the one reduction every run starts with.
import type { NetPosition } from "../balances.js";
import type { Paise } from "../money.js";

export interface Transfer {
  from: number;
  to: number;
  amount: Paise;
}

/** A person and their net in paise: > 0 is owed money, < 0 owes it. */
export interface Party {
  userId: number;
  net: number;
}

/** Validates, drops zero nets and sorts by userId: the canonical order every algorithm uses. */
export function canonical(nets: NetPosition[]): Party[] {
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

/** The order every result is returned in: by payer, then payee. */
export function byTransfer(a: Transfer, b: Transfer): number {
  return a.from - b.from || a.to - b.to;
}

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
export function takeOppositePairs(parties: Party[], out: Transfer[]): Party[] {
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
