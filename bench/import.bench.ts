/**
 * Import: reading and checking a 10,000-row Splitwise CSV (pure), then, with a PostgreSQL server
 * (TEST_DATABASE_URL, as for the tests), the whole POST /groups/import of it — parse, write of
 * the expenses, shares, balances and activity, one transaction — BENCH_RUNS times (default 3),
 * each on emptied tables. Prints; asserts nothing.
 *   npx tsx bench/import.bench.ts [rows]
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/import.bench.ts
 */
import { loadavg } from "node:os";
import { describeGroup } from "../src/domain/interchange/check.js";
import { readSplitwiseCsv } from "../src/domain/interchange/splitwise-read.js";
import { startTestApp } from "../test/helpers/app.js";
import { largeSplitwiseCsv } from "../test/helpers/large-splitwise.js";

const rows = Number(process.argv[2] ?? 10_000);
const { data } = largeSplitwiseCsv(rows);
let t = performance.now();
const { group } = readSplitwiseCsv(data, { currency: "INR" });
const read = performance.now() - t;
t = performance.now();
const issues = describeGroup(group);
const check = performance.now() - t;
console.log(
  `${rows} rows (${data.length} bytes): read ${read.toFixed(0)} ms, check ${check.toFixed(0)} ms, ${issues.length} issues`,
);

if (process.env.TEST_DATABASE_URL) {
  const app = await startTestApp({ env: { IMPORT_MAX_BYTES: String(200 * 1_048_576) } });
  try {
    const runs = Number(process.env.BENCH_RUNS ?? 3);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      await app.db.reset();
      const [x, y, z] = [await app.user("X"), await app.user("Y"), await app.user("Z")];
      const members = { Asha: x, Ravi: y, Meera: z };
      const started = performance.now();
      const res = await app.call(
        "POST",
        "/groups/import",
        { format: "splitwise-csv", data, members },
        { as: x },
      );
      times.push(performance.now() - started);
      if (res.status !== 201) throw new Error(`import: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `whole import, ${runs} runs: ${times.map((ms) => ms.toFixed(0)).join(", ")} ms (median ${sorted[Math.floor(runs / 2)]?.toFixed(0)}); load average ${loadavg()[0]?.toFixed(2)}`,
    );
  } finally {
    await app.close();
  }
}
