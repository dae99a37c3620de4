import { randomInt } from "node:crypto";
import pg from "pg";

/** Where the suite looks for PostgreSQL when neither TEST_DATABASE_URL nor DATABASE_URL is set. */
export const LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/test";

/** The URL without its password, for messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unparsable URL)";
  }
}

/** Resolves with null when the server answers `select 1`, else with why not (one line). */
async function probe(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (err) {
    return (err as Error).message.split("\n")[0] || String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runs once before any test file (vitest globalSetup): finds the PostgreSQL server the suite
 * runs on and hands it to every test file as TEST_DATABASE_URL. No server, no run: the suite
 * fails with one line saying how to provide one, instead of skipping what needs it.
 */
export default async function setup(): Promise<void> {
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  const url = given || LOCAL_SERVER;
  const why = await probe(url);
  if (why) {
    // One line and out: nothing has started yet, and a thrown error would bury it in noise.
    console.error(
      given
        ? `No PostgreSQL server at ${shown(url)} (${why}): start it, or point TEST_DATABASE_URL=postgres://… at one`
        : `No PostgreSQL server on 127.0.0.1:5432 (${why}): start one there (user postgres, database test), or set TEST_DATABASE_URL=postgres://user:password@host:port/database`,
    );
    process.exit(1);
  }
  process.env.TEST_DATABASE_URL = url;
  process.env.TEST_SEED = String(runSeed());
}

/** fast-check seeds are 32-bit integers: the run's seed is a non-negative one. */
const MAX_SEED = 2 ** 31 - 1;

/**
 * One seed for every random test of the run (test/helpers/seed.ts hands it to the test files):
 * TEST_SEED if given, else a new one. Printed, so a red run can be replayed exactly.
 */
function runSeed(): number {
  const given = process.env.TEST_SEED?.trim();
  if (given && !(/^\d{1,10}$/.test(given) && Number(given) <= MAX_SEED)) {
    console.error(
      `TEST_SEED must be an integer from 0 to ${MAX_SEED}, not ${JSON.stringify(given)}`,
    );
    process.exit(1);
  }
  const seed = given ? Number(given) : randomInt(MAX_SEED);
  console.log(
    `Random tests: TEST_SEED=${seed}${given ? " (given)" : ""}; replay: TEST_SEED=${seed} npm test (or npx vitest run <file>)`,
  );
  return seed;
}
