/**
 * The seed of every random test in this run (fast-check properties and samples, the model and
 * fuzz tests, workload generators). test/setup/global.ts sets TEST_SEED once per run (the one
 * given, or a new one) and prints it, so a red run can be replayed exactly with TEST_SEED=….
 */
export const testSeed: number = Number(process.env.TEST_SEED);
if (!Number.isSafeInteger(testSeed))
  throw new Error("TEST_SEED is not set: run the tests with vitest (see vitest.config.ts)");
