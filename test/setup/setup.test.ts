import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { expect, it } from "vitest";
import { freePort } from "../helpers/ports.js";
import { testSeed } from "../helpers/seed.js";

/** `npx vitest run <file>` as a developer runs it, with `env` on top of ours (undefined: unset). */
function vitest(file: string, env: Record<string, string | undefined>) {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const r = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", file], {
    env: { ...merged, FORCE_COLOR: "0", NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

it("fast-check draws from the run's TEST_SEED, so a run can be replayed", () => {
  expect(testSeed).toBe(Number(process.env.TEST_SEED));
  expect(fc.readConfigureGlobal().seed).toBe(testSeed);
  const draw = () => fc.sample(fc.integer(), 20);
  expect(draw()).toEqual(draw());
  expect(draw()).toEqual(fc.sample(fc.integer(), { numRuns: 20, seed: testSeed }));
});

it("prints the seed it uses, takes one from TEST_SEED, and refuses a bad one in one line", () => {
  const given = vitest("src/domain/money.test.ts", { TEST_SEED: "12345" });
  expect(given.out).toContain("TEST_SEED=12345 (given)");
  expect(given.code, given.out).toBe(0);
  const bad = vitest("src/domain/money.test.ts", { TEST_SEED: "soon" });
  expect(bad.code).toBe(1);
  expect(bad.out).toContain('TEST_SEED must be an integer from 0 to 2147483647, not "soon"');
});

it("finds the local PostgreSQL server without TEST_DATABASE_URL, and fails in one line without one", async () => {
  // A fresh clone: no URL in the environment; the Lambda tests need the server.
  const fresh = vitest("test/aws/lambda-weekly.test.ts", {
    TEST_DATABASE_URL: undefined,
    DATABASE_URL: undefined,
  });
  expect(fresh.code, fresh.out).toBe(0);
  expect(fresh.out).toMatch(/Tests\s+2 passed/);
  const port = await freePort();
  const none = vitest("src/domain/money.test.ts", {
    TEST_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`,
  });
  expect(none.code).toBe(1);
  expect(none.out).toContain(
    `No PostgreSQL server at postgres://postgres@127.0.0.1:${port}/test (`,
  );
  expect(none.out).not.toMatch(/Tests\s+\d+ passed/);
});
