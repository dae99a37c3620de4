import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "infra/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Finds the PostgreSQL server (or fails the run with one line saying how to provide one).
    globalSetup: ["test/setup/global.ts"],
    // Seeds fast-check from TEST_SEED (printed at the start of the run).
    setupFiles: ["test/setup/fast-check.ts"],
  },
});
