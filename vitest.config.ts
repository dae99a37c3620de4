import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Vitest's default (CPUs − 1) runs one file at a time on a 2-CPU machine, while most files spend
// their time waiting on PostgreSQL, child processes, SMTP or Chromium: one file more than CPUs
// keeps both busy (a 2-CPU run went from 18.5 to under 12 minutes). Each file has its own database.
const workers = Number(process.env.TEST_WORKERS) || availableParallelism() + 1;

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "infra/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: workers,
    // Finds the PostgreSQL server (or fails the run with one line saying how to provide one).
    globalSetup: ["test/setup/global.ts"],
    // Seeds fast-check from TEST_SEED (printed at the start of the run).
    setupFiles: ["test/setup/fast-check.ts"],
  },
});
