/**
 * CPU profile of the web process under load: the server runs with `node --cpu-prof` while
 * autocannon creates 4-participant expenses from 4 connections; prints the functions with the
 * most self time (and by package), and leaves the .cpuprofile for Chrome DevTools.
 *   npx tsx bench/profile.ts            (BENCH_START=tsx|build, BENCH_SECONDS, default 10)
 *   BENCH_PARTICIPANTS=1000 BENCH_CLIENTS=1 npx tsx bench/profile.ts   (other shapes; default 4 and 4)
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { httpThroughput } from "./lib/measure.js";
import { type Profile, summarizeProfile } from "./lib/profile-summary.js";
import { startServer } from "./lib/server.js";
import { ensureBenchDatabase, expenseBody, makeCrew } from "./lib/setup.js";

const dir = mkdtempSync(path.join(tmpdir(), "evenly-prof-"));
process.env.BENCH_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${dir}`;
await ensureBenchDatabase(false);
const server = await startServer({ processes: 1 });
const participants = Number(process.env.BENCH_PARTICIPANTS ?? 4);
const crew = await makeCrew(participants);
const rate = await httpThroughput({
  url: `${server.base}/expenses`,
  body: expenseBody(crew, participants),
  token: crew.token,
  connections: Number(process.env.BENCH_CLIENTS ?? 4),
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
});
await server.stop();
const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
if (!file) throw new Error(`no profile in ${dir}`);
const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Profile;

console.log(`${rate.perSecond.toFixed(2)} req/s; profile ${path.join(dir, file)}`);
console.log(summarizeProfile(profile));
