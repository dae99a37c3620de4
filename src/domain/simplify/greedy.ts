// Greedy: largest creditor against largest debtor.
import type { Party, Transfer } from "./parties.js";

/** Max-heap of parties by remaining amount, ties to the smaller userId. */
class PartyHeap {
  private readonly items: Party[] = [];

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
export function settleGreedy(parties: Party[], out: Transfer[]): void {
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
