import { readFileSync } from "node:fs";
import pg from "pg";
import type { CapturedTransaction } from "./lib/capture.js";

/**
 * The database ceiling, run as its own process: replays the captured create-expense transaction
 * straight to PostgreSQL as named prepared statements (parsed once per connection), with the new
 * expense's id substituted, from `clients` connections for `seconds` (throughput) or `count`
 * times on one connection (latency). Prints {perSecond, medianMs, done} as JSON.
 *   tsx bench/baseline-client.ts <job.json>
 */
interface Job {
  url: string;
  tx: CapturedTransaction;
  clients: number;
  seconds?: number;
  count?: number;
}

const job = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as Job;
const { statements, expenseId, insertIndex } = job.tx;
const oldId = String(expenseId);

function substitute(params: unknown[], id: number): unknown[] {
  return params.map((p) =>
    p === expenseId
      ? id
      : typeof p === "string" && p.includes(oldId)
        ? p.replaceAll(oldId, String(id))
        : p,
  );
}

async function once(client: pg.Client): Promise<number> {
  const started = performance.now();
  await client.query("begin");
  let id = 0;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i] as (typeof statements)[number];
    const r = await client.query({
      name: `bench_${i}`,
      text: s.text,
      values: substitute(s.params, id),
    });
    if (i === insertIndex) id = Number((r.rows[0] as Record<string, unknown>).id);
  }
  await client.query("commit");
  return performance.now() - started;
}

const clients = await Promise.all(
  Array.from({ length: job.clients }, async () => {
    const c = new pg.Client({ connectionString: job.url });
    await c.connect();
    return c;
  }),
);
// Warm-up: every connection parses its statements once, as the app's pool would have.
for (const c of clients) await once(c);
const latencies: number[] = [];
const started = performance.now();
if (job.count) {
  for (let i = 0; i < job.count; i++) latencies.push(await once(clients[0] as pg.Client));
} else {
  const end = started + (job.seconds ?? 5) * 1000;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < end) latencies.push(await once(c));
    }),
  );
}
const elapsed = (performance.now() - started) / 1000;
await Promise.all(clients.map((c) => c.end()));
latencies.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    done: latencies.length,
    perSecond: latencies.length / elapsed,
    medianMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
  }),
);
