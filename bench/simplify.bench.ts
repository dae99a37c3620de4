/**
 * Debt simplification: time and transfer counts of simplifyDebts (exact up to EXACT_LIMIT) against
 * the classic greedy baseline measured in the same run. Prints figures; asserts nothing.
 *   npx tsx bench/simplify.bench.ts
 */
import type { NetPosition } from "../src/domain/balances.js";
import { EXACT_LIMIT, greedySettle, simplifyDebts } from "../src/domain/simplify.js";

let seed = 20261125;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const balance = (nets: NetPosition[]): NetPosition[] => {
  const s = nets.reduce((a, b) => a + b.net, 0);
  return [...nets, { userId: nets.length + 1, net: -s }];
};
const cases: Record<string, (n: number) => NetPosition[]> = {
  // Random paise amounts: almost never a zero-sum subgroup.
  random: (n) =>
    balance(
      Array.from({ length: n - 1 }, (_, i) => ({
        userId: i + 1,
        net: Math.floor(rnd() * 2e6) - 1e6 || 1,
      })),
    ),
  // Small groups that each settle among themselves (what trips greedy up).
  planted: (n) => {
    const nets: NetPosition[] = [];
    while (nets.length < n) {
      const size = Math.min(n - nets.length, 3 + Math.floor(rnd() * 2));
      const g = Array.from({ length: size - 1 }, () => Math.floor(rnd() * 1e5) + 1).map((v, i) =>
        i % 2 ? -v : v,
      );
      g.push(-g.reduce((a, b) => a + b, 0));
      for (const v of g) nets.push({ userId: nets.length + 1, net: v || 1 });
    }
    return balance(nets.slice(0, n - 1));
  },
  // Equal splits: many people with the same net.
  repeated: (n) =>
    balance(
      Array.from({ length: n - 1 }, (_, i) => ({
        userId: i + 1,
        net: i < (n * 3) / 5 ? 200 : -300,
      })),
    ),
  // Distinct small amounts: thousands of zero-sum subgroups, no exact opposites (the full subset DP).
  "distinct-dense": (n) =>
    balance(
      Array.from({ length: n - 1 }, (_, i) => ({
        userId: i + 1,
        net: i < (n * 2) / 3 ? i + 1 : -(40 + i),
      })),
    ),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

console.log(`EXACT_LIMIT = ${EXACT_LIMIT}`);
console.log("case            n    ms(median)  transfers  greedy  greedy/optimal");
for (const [name, make] of Object.entries(cases)) {
  for (const n of [8, 12, 16, 20, 24, 30, 60, 200]) {
    const nets = make(n);
    const times: number[] = [];
    let transfers = 0;
    for (let r = 0; r < (n >= 20 ? 3 : 7); r++) {
      const t = performance.now();
      transfers = simplifyDebts(nets).length;
      times.push(performance.now() - t);
    }
    const greedy = greedySettle(nets).length;
    console.log(
      `${name.padEnd(15)} ${String(n).padStart(3)} ${median(times).toFixed(1).padStart(11)} ${String(transfers).padStart(10)} ${String(greedy).padStart(7)} ${(greedy / Math.max(1, transfers)).toFixed(2).padStart(15)}`,
    );
  }
}
