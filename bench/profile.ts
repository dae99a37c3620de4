/**
 * CPU profile of the web process under load: the server runs with `node --cpu-prof` while
 * autocannon creates 4-participant expenses from 4 connections; prints the functions with the
 * most self time (and by package), and leaves the .cpuprofile for Chrome DevTools.
 *   npx tsx bench/profile.ts            (BENCH_START=tsx|build, BENCH_SECONDS, default 10)
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { httpThroughput } from "./lib/measure.js";
import { startServer } from "./lib/server.js";
import { ensureBenchDatabase, expenseBody, makeCrew } from "./lib/setup.js";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const dir = mkdtempSync(path.join(tmpdir(), "evenly-prof-"));
process.env.BENCH_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${dir}`;
await ensureBenchDatabase(false);
const server = await startServer({ processes: 1 });
const crew = await makeCrew(4);
const rate = await httpThroughput({
  url: `${server.base}/expenses`,
  body: expenseBody(crew, 4),
  token: crew.token,
  connections: 4,
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
});
await server.stop();
const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
if (!file) throw new Error(`no profile in ${dir}`);
const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
// Percentages of the time the process was busy: idle time is waiting for the database.
const idle = profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id);
for (const id of idle) self.delete(id);
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1] as string;
  if (url.includes("/src/") || url.includes("/dist/")) return "evenly";
  return url.startsWith("node:") ? "node" : url || "(native)";
};
const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
for (const [id, t] of self) {
  const f = (byId.get(id) as Node).callFrame;
  const key = `${f.functionName || "(anonymous)"} ${f.url.replace(/.*node_modules\//, "").replace(/.*\/(src|dist)\//, "$1/")}:${f.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + t);
  pkgs.set(where(f.url), (pkgs.get(where(f.url)) ?? 0) + t);
}
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, t]) => `${((t / total) * 100).toFixed(1).padStart(5)} %  ${k}`)
    .join("\n");
console.log(`${rate.perSecond.toFixed(0)} req/s; profile ${path.join(dir, file)}`);
console.log(`\nself time by function:\n${top(fns, 25)}`);
console.log(`\nself time by package:\n${top(pkgs, 12)}`);
