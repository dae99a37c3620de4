/**
 * `npm run bench`: the figures of issue 17 in one table, each beside a baseline measured in the
 * same run (the same transaction sent straight to PostgreSQL from another process), the ratio,
 * the target and pass/miss. Asserts nothing; not part of `npm test`.
 *
 * Settings (environment): DATABASE_URL names the server (default the local PostgreSQL; the bench
 * creates its own database evenly_bench there), BENCH_SECONDS per throughput cell (default 5),
 * BENCH_PAIRS balance rows to seed first (default 1,000,000; 0 skips), BENCH_FRESH=1 to recreate
 * the database, BENCH_START=tsx (default) or build (runs dist/main.js: compile it first with the
 * esbuild command in bench/RESULTS.md, "Compiled build").
 * Debt simplification on its own: `npx tsx bench/simplify.bench.ts`.
 */
import { loadavg } from "node:os";
import { captureCreateExpense } from "./lib/capture.js";
import { ceiling, httpThroughput, median, serverTimes, sqlMedian } from "./lib/measure.js";
import { openPage, pageSession, seedComponent } from "./lib/pages.js";
import { startServer } from "./lib/server.js";
import {
  type Crew,
  ensureBalanceRows,
  ensureBenchDatabase,
  expenseBody,
  makeCrew,
} from "./lib/setup.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 1_000_000);

interface Row {
  figure: string;
  value: number;
  baseline: number | null;
  unit: string;
  /** ratio = value / baseline; pass when `pass(value, ratio)`. */
  target: string;
  pass: ((value: number, ratio: number) => boolean) | null;
}
const rows: Row[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);

await ensureBenchDatabase(process.env.BENCH_FRESH === "1");
let server = await startServer({ processes: 1 }); // migrates the bench database
// A failed run must not leave its server behind.
process.on("exit", () => void server.stop());
const pairCount = PAIRS > 0 ? await ensureBalanceRows(PAIRS) : 0;
const load = loadavg().map((x) => x.toFixed(2));
log(`pair_balances rows: ${pairCount}; load average ${load.join(" ")}`);

const post = (crew: Crew, body: string) =>
  fetch(`${server.base}/expenses`, {
    method: "POST",
    headers: { authorization: `Bearer ${crew.token}`, "content-type": "application/json" },
    body,
  }).then(async (r) => {
    if (r.status !== 201) throw new Error(`POST /expenses: ${r.status} ${await r.text()}`);
  });

// 1. Create-expense throughput: the API and the ceiling, each on a fresh crew (same history).
for (const participants of [4, 100]) {
  for (const clients of [1, 4, 16]) {
    const dbCrew = await makeCrew(participants);
    const tx = await captureCreateExpense(dbCrew, participants);
    const db = await ceiling(tx, { clients, seconds: SECONDS });
    const apiCrew = await makeCrew(participants);
    const api = await httpThroughput({
      url: `${server.base}/expenses`,
      body: expenseBody(apiCrew, participants),
      token: apiCrew.token,
      connections: clients,
      seconds: SECONDS,
    });
    log(
      `create ${participants}p ${clients}c: api ${api.perSecond.toFixed(0)}/s, db ${db.perSecond.toFixed(0)}/s`,
    );
    rows.push({
      figure: `create expense, ${participants} participants, ${clients} client${clients > 1 ? "s" : ""}`,
      value: api.perSecond,
      baseline: db.perSecond,
      unit: "req/s",
      target: "ratio >= 0.50",
      pass: (_v, r) => r >= 0.5,
    });
  }
}

// 2. A 1000-participant expense, median latency at 1 client.
{
  const dbCrew = await makeCrew(999);
  const tx = await captureCreateExpense(dbCrew, 1000);
  const db = await ceiling(tx, { clients: 1, count: 10 });
  const apiCrew = await makeCrew(999);
  const body = expenseBody(apiCrew, 1000);
  await post(apiCrew, body);
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await post(apiCrew, body);
    times.push(performance.now() - t);
  }
  rows.push({
    figure: "create expense, 1000 participants, median latency",
    value: median(times),
    baseline: db.medianMs,
    unit: "ms",
    target: "ratio <= 2.0",
    pass: (_v, r) => r <= 2,
  });
}

// 3. Balances with 1000 counterparties (two expenses: 1000 and 2 participants).
{
  const crew = await makeCrew(1000);
  await post(crew, expenseBody(crew, 1000));
  await post(
    crew,
    JSON.stringify({
      ...JSON.parse(expenseBody(crew, 2)),
      participants: [crew.payer, crew.others[999]],
    }),
  );
  const url = `/users/${crew.payer}/balances`;
  for (let i = 0; i < 31; i++) await openPage(server.base, url, `Bearer ${crew.token}`);
  const pairs = await sqlMedian(
    "select user_a, user_b, a_owes_b_paise from pair_balances where (user_a = $1 or user_b = $1) and a_owes_b_paise <> 0",
    [crew.payer],
    30,
  );
  rows.push({
    figure: `balances, 1000 counterparties (${(pairCount / 1e6).toFixed(2)} M pair rows), server time`,
    value: median(serverTimes(server.logFile, url).slice(1)),
    baseline: pairs,
    unit: "ms",
    target: "<= 10 ms",
    pass: (v) => v <= 10,
  });
}

// 4. simplify=true over a 20-person component.
{
  const crew = await makeCrew(19);
  await seedComponent(crew);
  const url = `/users/${crew.payer}/balances?simplify=true`;
  for (let i = 0; i < 21; i++) await openPage(server.base, url, `Bearer ${crew.token}`);
  rows.push({
    figure: "balances simplify=true, 20-person component, server time",
    value: median(serverTimes(server.logFile, url).slice(1)),
    baseline: null,
    unit: "ms",
    target: "<= 50 ms",
    pass: (v) => v <= 50,
  });
}

// 5. The dashboard page of a user with 100 counterparties.
{
  const crew = await makeCrew(100);
  await post(crew, expenseBody(crew, 101));
  const cookie = await pageSession(server.base, crew);
  for (let i = 0; i < 21; i++) await openPage(server.base, "/app", undefined, cookie);
  rows.push({
    figure: "dashboard page, 100 counterparties, server time",
    value: median(serverTimes(server.logFile, "/app").slice(1)),
    baseline: null,
    unit: "ms",
    target: "<= 20 ms",
    pass: (v) => v <= 20,
  });
}

// 6. Throughput with 1 and 2 web processes (4 participants, 16 clients).
{
  const one = await makeCrew(4);
  const single = await httpThroughput({
    url: `${server.base}/expenses`,
    body: expenseBody(one, 4),
    token: one.token,
    connections: 16,
    seconds: SECONDS,
  });
  await server.stop();
  server = await startServer({ processes: 2 });
  const two = await makeCrew(4);
  const double = await httpThroughput({
    url: `${server.base}/expenses`,
    body: expenseBody(two, 4),
    token: two.token,
    connections: 16,
    seconds: SECONDS,
  });
  rows.push({
    figure: "create expense, 4 participants, 16 clients, 2 web processes (baseline: 1)",
    value: double.perSecond,
    baseline: single.perSecond,
    unit: "req/s",
    target: "reported",
    pass: null,
  });
}
await server.stop();

const fmt = (n: number | null, unit: string) =>
  n === null ? "-" : `${n >= 100 ? n.toFixed(0) : n.toFixed(1)} ${unit}`;
const table = [
  ["figure", "value", "baseline (same run)", "ratio", "target", "result"],
  ...rows.map((r) => {
    const ratio = r.baseline ? r.value / r.baseline : Number.NaN;
    return [
      r.figure,
      fmt(r.value, r.unit),
      fmt(
        r.baseline,
        r.baseline !== null && r.unit === "req/s" && r !== rows.at(-1) ? "tx/s" : r.unit,
      ),
      Number.isNaN(ratio) ? "-" : ratio.toFixed(2),
      r.target,
      r.pass === null ? "info" : r.pass(r.value, ratio) ? "pass" : "MISS",
    ];
  }),
];
console.log(
  `\nload average at start ${load.join(" ")}, at end ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
for (const [i, cells] of table.entries()) {
  console.log(`| ${cells.join(" | ")} |`);
  if (i === 0) console.log(`|${cells.map(() => "---").join("|")}|`);
}
