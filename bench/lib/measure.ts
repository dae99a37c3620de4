import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import type { CapturedTransaction } from "./capture.js";
import { benchUrl } from "./setup.js";

export interface Rate {
  perSecond: number;
  medianMs: number;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** POSTs the same body from `connections` keep-alive connections for `seconds` (autocannon). */
export async function httpThroughput(opts: {
  url: string;
  body: string;
  token: string;
  connections: number;
  seconds: number;
}): Promise<Rate> {
  const run = (duration: number) =>
    autocannon({
      url: opts.url,
      method: "POST",
      connections: opts.connections,
      duration,
      headers: { authorization: `Bearer ${opts.token}`, "content-type": "application/json" },
      body: opts.body,
    });
  await run(1); // warm-up: JIT, pool connections, prepared statements
  const r = await run(opts.seconds);
  if (r.errors > 0 || r.non2xx > 0)
    throw new Error(`HTTP errors: ${r.errors} errors, ${r.non2xx} non-2xx of ${r.requests.total}`);
  return { perSecond: r.requests.total / r.duration, medianMs: r.latency.p50 };
}

/** The database ceiling from a separate process (bench/baseline-client.ts). */
export async function ceiling(
  tx: CapturedTransaction,
  opts: { clients: number; seconds?: number; count?: number },
): Promise<Rate> {
  const job = path.join(tmpdir(), `evenly-bench-job-${process.pid}.json`);
  writeFileSync(job, JSON.stringify({ url: benchUrl(), tx, ...opts }));
  const child = spawn(process.execPath, ["--import", "tsx", "bench/baseline-client.ts", job], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  if (code !== 0) throw new Error(`baseline client exited with ${code}`);
  return JSON.parse(out) as Rate;
}

/** Median of `count` sequential runs of `fn` (after one warm-up), in ms, measured here. */
export async function sequentialMedian(count: number, fn: () => Promise<void>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * Server time of the requests to `url` as the app logged them (fastify's responseTime on
 * "request completed", matched to the "incoming request" line by reqId).
 */
export function serverTimes(logFile: string, url: string): number[] {
  const ids = new Set<string>();
  const times: number[] = [];
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as {
      reqId?: string;
      req?: { url?: string };
      responseTime?: number;
    };
    if (entry.req?.url === url && entry.reqId) ids.add(entry.reqId);
    else if (entry.responseTime !== undefined && entry.reqId && ids.has(entry.reqId))
      times.push(entry.responseTime);
  }
  return times;
}

/** Median time of one SQL statement sent straight to PostgreSQL (prepared, after a warm-up). */
export async function sqlMedian(text: string, values: unknown[], count: number): Promise<number> {
  const c = new pg.Client({ connectionString: benchUrl() });
  await c.connect();
  try {
    return await sequentialMedian(count, async () => {
      await c.query({ name: "bench_sql", text, values });
    });
  } finally {
    await c.end();
  }
}
