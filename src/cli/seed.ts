import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import {
  addPairDeltasBulk,
  analyzeLedger,
  type BulkExpense,
  insertExpensesBulk,
  insertUsersBulk,
} from "../db/bulk-load.js";
import { openDatabase } from "../db/client.js";
import { withRawTransaction } from "../db/raw.js";
import { expenseDeltas, mergeDeltas, type PairDelta } from "../domain/debts.js";
import { splitExpense } from "../domain/split.js";

// `npm run seed -- --users N --expenses M [--participants K] [--seed S]`: fills the database
// (DATABASE_URL, else the embedded one) with N new users and M EQUAL expenses among them, each
// paid by one of K participants. Shares come from the app's own split rule and pair balances from
// its own delta rule, written in the same transaction as each batch, so `npm run verify-ledger`
// holds at every commit. No notifications are written (a bulk load is not news).

const USAGE =
  "usage: npm run seed -- --users N --expenses M [--participants K (default 4)] [--seed S]";
const BATCH = 2000;

function positiveInt(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`--${name} must be a whole number\n${USAGE}`);
  return n;
}

/** mulberry32: a small seeded generator, so a seed reproduces the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function progress(done: number, total: number, startedAt: number): void {
  const perMinute = Math.round((done / Math.max(1, performance.now() - startedAt)) * 60_000);
  const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
  const bar = "#".repeat(Math.floor(pct / 5)).padEnd(20, ".");
  process.stderr.write(
    `\rseed [${bar}] ${done.toLocaleString("en")}/${total.toLocaleString("en")} expenses (${pct}%), ${perMinute.toLocaleString("en")}/min `,
  );
}

const { values } = parseArgs({
  options: {
    users: { type: "string" },
    expenses: { type: "string" },
    participants: { type: "string" },
    seed: { type: "string" },
  },
});
const userCount = positiveInt("users", values.users);
const expenseCount = positiveInt("expenses", values.expenses);
const participants = positiveInt("participants", values.participants, 4);
const seed = positiveInt("seed", values.seed, Date.now() % 2 ** 31);
if (participants < 2 || participants > 1000 || participants > userCount)
  throw new Error(`--participants must be between 2 and min(1000, --users)\n${USAGE}`);

const config = loadConfig();
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
try {
  await handle.migrate();
  const rnd = random(seed);
  console.error(`seed ${seed}: ${userCount} users, ${expenseCount} expenses of ${participants}`);
  const tag = `${Date.now().toString(36)}${Math.floor(rnd() * 1e6).toString(36)}`;
  const ids: number[] = [];
  for (let from = 0; from < userCount; from += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, userCount - from) }, (_, i) => ({
      name: `Seed ${from + i + 1}`,
      email: `seed-${tag}-${from + i + 1}@seed.test`,
      mobileNumber: null,
    }));
    ids.push(...(await withRawTransaction(handle, (exec) => insertUsersBulk(exec, batch))));
  }
  const today = Date.now();
  const pick = () => ids[Math.floor(rnd() * ids.length)] as number;
  const startedAt = performance.now();
  for (let done = 0; done < expenseCount; ) {
    const batch: BulkExpense[] = [];
    const deltas: PairDelta[][] = [];
    for (let i = 0; i < BATCH && done + i < expenseCount; i++) {
      const payer = pick();
      const people = new Set([payer]);
      while (people.size < participants) people.add(pick());
      const amount = 100 + Math.floor(rnd() * 1_000_000);
      const shares = splitExpense(amount, [...people], { type: "EQUAL" });
      const date = new Date(today - Math.floor(rnd() * 365) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      batch.push({
        description: `Seeded ${done + i + 1}`,
        amount,
        splitType: "EQUAL",
        date,
        payer,
        shares,
      });
      deltas.push(expenseDeltas([{ userId: payer, amount }], shares));
    }
    await withRawTransaction(handle, async (exec) => {
      await insertExpensesBulk(exec, batch);
      await addPairDeltasBulk(exec, mergeDeltas(...deltas));
    });
    done += batch.length;
    progress(done, expenseCount, startedAt);
  }
  const seconds = (performance.now() - startedAt) / 1000;
  process.stderr.write("\nanalyze…\n");
  await withRawTransaction(handle, analyzeLedger);
  console.log(
    JSON.stringify({
      seed,
      users: ids.length,
      firstUserId: ids[0] ?? null,
      expenses: expenseCount,
      participants,
      seconds: Number(seconds.toFixed(1)),
      expensesPerMinute: Math.round((expenseCount / Math.max(seconds, 1e-3)) * 60),
    }),
  );
} finally {
  await handle.close();
}
