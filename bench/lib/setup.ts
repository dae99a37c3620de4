import { spawnSync } from "node:child_process";
import pg from "pg";
import { hashPassword } from "../../src/auth/password-hash.js";
import { hashSecretToken, newSecretToken } from "../../src/lib/secret-token.js";

/** The bench's own database on the server of DATABASE_URL (default: the local PostgreSQL). */
export const BENCH_DB = process.env.BENCH_DATABASE_NAME ?? "evenly_bench";
export const BENCH_PASSWORD = "bench-password-not-secret";

export function benchUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${BENCH_DB}`;
  return url.toString();
}

/** Creates the bench database (dropped first with `fresh`); the app migrates it on start. */
export async function ensureBenchDatabase(fresh: boolean): Promise<void> {
  const admin = new pg.Client({ connectionString: new URL("/postgres", benchUrl()).toString() });
  await admin.connect();
  try {
    if (fresh) await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [
      BENCH_DB,
    ]);
    if (!rowCount) await admin.query(`create database ${BENCH_DB}`);
  } finally {
    await admin.end();
  }
}

/** Seeds with `npm run seed` until pair_balances holds at least `pairs` rows (100 k users). */
export async function ensureBalanceRows(pairs: number): Promise<number> {
  const c = new pg.Client({ connectionString: benchUrl() });
  await c.connect();
  const have = async () =>
    Number((await c.query("select count(*)::int as n from pair_balances")).rows[0].n);
  try {
    const now = await have();
    if (now >= pairs) return now;
    // 10 participants: 9 new pairs per expense, almost never the same pair twice among 100 k.
    const expenses = Math.ceil(((pairs - now) / 9) * 1.02);
    const r = spawnSync(
      "npx",
      [
        "tsx",
        "src/cli/seed.ts",
        "--users",
        "100000",
        "--expenses",
        String(expenses),
        "--participants",
        "10",
        "--seed",
        "17",
      ],
      {
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, DATABASE_URL: benchUrl() },
      },
    );
    if (r.status !== 0) throw new Error("npm run seed failed");
    return await have();
  } finally {
    await c.end();
  }
}

export interface Crew {
  /** The payer, who invited everyone else (so knows them all). */
  payer: number;
  others: number[];
  token: string;
  email: string;
}

let crews = 0;

/** A payer with a live API token and `n` people they invited (fresh, so no history). */
export async function makeCrew(n: number): Promise<Crew> {
  const c = new pg.Client({ connectionString: benchUrl() });
  await c.connect();
  try {
    const tag = `${process.pid}-${Date.now().toString(36)}-${crews++}`;
    const email = `payer-${tag}@bench.test`;
    const payer = Number(
      (
        await c.query(
          "insert into users (name, email, mobile_number, password_hash) values ($1, $2, '9000000000', $3) returning id",
          [`Payer ${tag}`, email, await hashPassword(BENCH_PASSWORD)],
        )
      ).rows[0].id,
    );
    const others = (
      await c.query(
        `insert into users (name, email, invited_by)
         select 'Friend ' || i, 'friend-' || i || '-' || $2 || '@bench.test', $1::int
         from generate_series(1, $3::int) i order by i returning id`,
        [payer, tag, n],
      )
    ).rows.map((r) => Number(r.id));
    const token = newSecretToken("evl");
    await c.query(
      "insert into api_tokens (user_id, token_hash, label, expires_at, last_used_at) values ($1, $2, 'bench', now() + interval '1 day', now())",
      [payer, hashSecretToken(token)],
    );
    return { payer, others, token, email };
  } finally {
    await c.end();
  }
}

/** The body of an EQUAL expense the payer shares with the first `participants - 1` others. */
export function expenseBody(crew: Crew, participants: number): string {
  return JSON.stringify({
    paid_by: crew.payer,
    amount: "1000.00",
    split_type: "EQUAL",
    participants: [crew.payer, ...crew.others.slice(0, participants - 1)],
    description: "bench",
  });
}
