/** A .cpuprofile summarised: self time by function and by package, inclusive time by function. */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1] as string;
  if (url.includes("/src/") || url.includes("/dist/")) return "evenly";
  return url.startsWith("node:") ? "node" : url || "(native)";
};
const label = (f: Node["callFrame"]) =>
  `${f.functionName || "(anonymous)"} ${f.url.replace(/.*node_modules\//, "").replace(/.*\/(src|dist)\//, "$1/")}:${f.lineNumber + 1}`;

export function summarizeProfile(profile: Profile, rows = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  // Percentages of the time the process was busy: idle time is waiting for the database.
  for (const n of profile.nodes) if (n.callFrame.functionName === "(idle)") self.delete(n.id);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, t] of self) {
    const f = (byId.get(id) as Node).callFrame;
    fns.set(label(f), (fns.get(label(f)) ?? 0) + t);
    pkgs.set(where(f.url), (pkgs.get(where(f.url)) ?? 0) + t);
  }
  // Inclusive time: each function counted once per stack (recursion does not double count).
  const inclusive = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): number => {
    const n = byId.get(id) as Node;
    let t = self.get(id) ?? 0;
    const key = label(n.callFrame);
    const fresh = !onStack.has(key);
    if (fresh) onStack.add(key);
    for (const c of n.children ?? []) t += walk(c, onStack);
    if (fresh) {
      onStack.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + t);
    }
    return t;
  };
  walk((profile.nodes[0] as Node).id, new Set());
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, t]) => `${((t / total) * 100).toFixed(1).padStart(5)} %  ${k}`)
      .join("\n");
  const mine = new Map([...inclusive].filter(([k]) => /^\S+ src\//.test(k)));
  return [
    `self time by function:\n${top(fns, rows)}`,
    `self time by package:\n${top(pkgs, 12)}`,
    `inclusive time, the app's own functions:\n${top(mine, rows)}`,
  ].join("\n\n");
}
