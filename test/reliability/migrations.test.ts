import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { createServerDatabase } from "../helpers/database.js";

const ROUNDS = Number(process.env.MIGRATION_ROUNDS ?? 5);
const RUNNERS = 4;
const journal = JSON.parse(readFileSync("drizzle/meta/_journal.json", "utf8")) as {
  entries: unknown[];
};

// Several processes starting together on a new database (web instances, the worker, `npm run
// migrate`) each migrate it; here each runner is its own pool, so its own connections.
describe("concurrent migrations", () => {
  it(`${RUNNERS} runners migrating one fresh database at once all succeed (${ROUNDS} rounds)`, async () => {
    const failures: string[] = [];
    const appliedCounts: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const created = await createServerDatabase("evenly_migrate");
      const handles = await Promise.all(
        Array.from({ length: RUNNERS }, () =>
          openDatabase({ databaseUrl: created.url, dataDir: "unused", poolMax: 2 }),
        ),
      );
      try {
        const results = await Promise.allSettled(handles.map((h) => h.migrate()));
        for (const r of results)
          if (r.status === "rejected")
            failures.push(`round ${round}: ${String(r.reason?.cause ?? r.reason)}`);
        // Every migration applied exactly once, whoever ran it.
        const applied = await handles[0]?.pool?.query(
          "select count(*)::int as n from drizzle.__drizzle_migrations",
        );
        appliedCounts.push(Number(applied?.rows[0]?.n));
      } finally {
        await Promise.all(handles.map((h) => h.close()));
        await created.drop();
      }
    }
    console.log(
      `concurrent migrations: ${ROUNDS} rounds × ${RUNNERS} runners, ${failures.length} failed${failures.length ? `: ${failures.join("; ")}` : ""}`,
    );
    expect(failures).toEqual([]);
    expect(appliedCounts).toEqual(Array(ROUNDS).fill(journal.entries.length));
  });
});
