import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, expect, it } from "vitest";

// Upgrading a database that predates friendships: people who already share a balance row (an
// expense or a settlement) or an invitation stay known to each other, as friends.
const drizzleDir = fileURLToPath(new URL("../../drizzle", import.meta.url));
const before = mkdtempSync(path.join(tmpdir(), "evenly-migrations-"));
afterAll(() => rmSync(before, { recursive: true, force: true }));

it("the friendships migration backfills friends from pair balances and invitations", async () => {
  // The migrations as they were before 0004_friendships.
  cpSync(drizzleDir, before, { recursive: true });
  const journalPath = path.join(before, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  const at = journal.entries.findIndex((e: { tag: string }) => e.tag === "0004_friendships");
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));

  const client = await PGlite.create("memory://");
  const db = drizzle({ client });
  await migrate(db, { migrationsFolder: before });
  await db.execute(sql`insert into users (name, email, mobile_number, invited_by) values
    ('A', 'a@x.in', '9000000001', null), ('B', 'b@x.in', '9000000002', null),
    ('C', 'c@x.in', '9000000003', null), ('D', 'd@x.in', '9000000004', 1),
    ('E', 'e@x.in', '9000000005', null)`);
  // A and B owe each other something; B and C settled to zero (a row at 0 still counts).
  await db.execute(sql`insert into pair_balances (user_a, user_b, a_owes_b_paise) values
    (1, 2, 500), (2, 3, 0)`);

  await migrate(db, { migrationsFolder: drizzleDir });
  const rows = (await db.execute(
    sql`select user_id, friend_id from friendships order by user_id, friend_id`,
  )) as unknown as { rows: { user_id: number; friend_id: number }[] };
  expect(rows.rows.map((r) => [r.user_id, r.friend_id])).toEqual([
    [1, 2],
    [1, 4],
    [2, 1],
    [2, 3],
    [3, 2],
    [4, 1],
  ]);
  await client.close();
});
