import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, expect, it } from "vitest";

// Upgrading a database from before currencies: every balance row, group and expense is INR, the
// balances' keys gain the currency, and the converted-expense columns start empty.
const drizzleDir = fileURLToPath(new URL("../../drizzle", import.meta.url));
const before = mkdtempSync(path.join(tmpdir(), "evenly-migrations-"));
afterAll(() => rmSync(before, { recursive: true, force: true }));

type Rows = { rows: Record<string, unknown>[] };

it("the currencies migration makes existing balances, groups and expenses INR", async () => {
  cpSync(drizzleDir, before, { recursive: true });
  const journalPath = path.join(before, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  const at = journal.entries.findIndex((e: { tag: string }) => e.tag === "0012_currencies");
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));

  const client = await PGlite.create("memory://");
  const db = drizzle({ client });
  await migrate(db, { migrationsFolder: before });
  await db.execute(sql`insert into users (name, email) values ('A', 'a@x.in'), ('B', 'b@x.in')`);
  await db.execute(sql`insert into groups (name, created_by) values ('Flat', 1)`);
  await db.execute(sql`insert into expenses (description, amount_paise, split_type, expense_date, group_id)
    values ('Rent', 1000, 'EQUAL', '2026-01-01', 1)`);
  await db.execute(
    sql`insert into pair_balances (user_a, user_b, a_owes_b_paise) values (1, 2, 500)`,
  );
  await db.execute(
    sql`insert into group_pair_balances (group_id, user_a, user_b, a_owes_b_paise) values (1, 1, 2, 500)`,
  );

  await migrate(db, { migrationsFolder: drizzleDir });
  const read = async (q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as Rows).rows;
  expect(
    await read(
      sql`select user_a, user_b, currency, a_owes_b_paise::int as owed from pair_balances`,
    ),
  ).toEqual([{ user_a: 1, user_b: 2, currency: "INR", owed: 500 }]);
  expect(await read(sql`select currency from group_pair_balances`)).toEqual([{ currency: "INR" }]);
  expect(await read(sql`select currency from groups`)).toEqual([{ currency: "INR" }]);
  expect(
    await read(
      sql`select currency, original_amount, original_currency, exchange_rate from expenses`,
    ),
  ).toEqual([
    { currency: "INR", original_amount: null, original_currency: null, exchange_rate: null },
  ]);
  // The same pair may now hold a balance in another currency, kept apart.
  await db.execute(
    sql`insert into pair_balances (user_a, user_b, currency, a_owes_b_paise) values (1, 2, 'JPY', 300)`,
  );
  expect(await read(sql`select count(*)::int as n from pair_balances`)).toEqual([{ n: 2 }]);
  await client.close();
});
