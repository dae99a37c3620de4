/**
 * Import, the pure part: reading and checking a 10,000-row Splitwise CSV (the API test
 * test/api/interchange.test.ts prints the whole POST /groups/import time). Prints; asserts nothing.
 *   npx tsx bench/import.bench.ts [rows]
 */
import { describeGroup } from "../src/domain/interchange/check.js";
import { readSplitwiseCsv } from "../src/domain/interchange/splitwise-read.js";
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
