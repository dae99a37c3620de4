/**
 * CPU profile of the web process serving reads: the balances of a user with 1000 counterparties
 * and the dashboard page of a user with 100 (as in `npm run bench`), each requested
 * sequentially; prints the median server time and the functions with the most self time.
 *   npx tsx bench/profile-reads.ts      (BENCH_START=tsx|build, BENCH_REQUESTS, default 300)
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { median, serverTimes } from "./lib/measure.js";
import { openPage, pageSession } from "./lib/pages.js";
import { summarizeProfile } from "./lib/profile-summary.js";
import { startServer } from "./lib/server.js";
import { ensureBenchDatabase, expenseBody, makeCrew } from "./lib/setup.js";

const dir = mkdtempSync(path.join(tmpdir(), "evenly-prof-"));
if (process.env.BENCH_PROFILE !== "0")
  process.env.BENCH_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${dir}`;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
await ensureBenchDatabase(false);
const server = await startServer({ processes: 1 });
const post = (token: string, body: string) =>
  fetch(`${server.base}/expenses`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
  }).then((r) => {
    if (r.status !== 201) throw new Error(`POST /expenses: ${r.status}`);
  });

const big = await makeCrew(1000);
await post(big.token, expenseBody(big, 1000));
const balances = `/users/${big.payer}/balances`;
const small = await makeCrew(100);
await post(small.token, expenseBody(small, 101));
const cookie = await pageSession(server.base, small);
for (let i = 0; i < REQUESTS; i++) {
  await openPage(server.base, balances, `Bearer ${big.token}`);
  await openPage(server.base, "/app", undefined, cookie);
}
await server.stop();
const ms = (url: string) => median(serverTimes(server.logFile, url).slice(10)).toFixed(1);
console.log(
  `balances (1000 counterparties): ${ms(balances)} ms; dashboard (100): ${ms("/app")} ms`,
);
const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
if (!file) process.exit(0); // BENCH_PROFILE=0: timings only
console.log(`profile ${path.join(dir, file)}`);
console.log(summarizeProfile(JSON.parse(readFileSync(path.join(dir, file), "utf8"))));
