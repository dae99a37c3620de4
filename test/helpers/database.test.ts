import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { accountLinks, notificationDeliveries } from "../../src/db/schema.js";
import { startTestApp, type TestApp } from "./app.js";
import { KEPT_BY_RESET } from "./database.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

/** Row count of every table in the app's schema. */
async function counts(): Promise<Record<string, number>> {
  const tables = (await t.db.db.execute(
    sql`select tablename as name from pg_tables where schemaname = current_schema() order by 1`,
  )) as unknown as { rows: { name: string }[] };
  const out: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = (await t.db.db.execute(
      sql.raw(`select count(*)::int as n from ${JSON.stringify(name)}`),
    )) as unknown as { rows: { n: number }[] };
    out[name] = r.rows[0]?.n ?? -1;
  }
  return out;
}

it("reset() empties every table of the schema (but the shared settings) and restarts ids", async () => {
  const a = await t.user("A");
  const b = await t.user("B");
  const expense = await t.call(
    "POST",
    "/expenses",
    { paid_by: a, amount: "10.00", split_type: "EQUAL", participants: [a, b], description: "x" },
    { as: a, headers: { "idempotency-key": "reset-test" } },
  );
  expect(expense.status).toBe(201);
  await t.call("POST", "/settlements", { from_user: b, to_user: a, amount: "1.00" }, { as: b });
  await t.pageSession(a);
  await t.db.db.insert(notificationDeliveries).values({ dedupeKey: "reset-test", status: "sent" });
  await t.db.db.insert(accountLinks).values({
    userId: b,
    purpose: "claim",
    tokenHash: "reset-test",
    expiresAt: new Date(Date.now() + 60_000),
  });
  const before = await counts();
  expect(before.notification_deliveries).toBe(1);
  const written = Object.keys(before).filter((name) => (before[name] ?? 0) > 0);
  console.log(`reset: tables with rows before: ${written.join(", ")}`);

  await t.db.reset();

  const after = await counts();
  const leftOver = Object.entries(after).filter(
    ([name, n]) => n > 0 && !KEPT_BY_RESET.includes(name),
  );
  expect(leftOver).toEqual([]);
  // The app secret the running app has cached stays, so links it signed keep verifying.
  expect(after.app_settings).toBe(before.app_settings);
  // Ids start again at 1.
  expect(await t.user("C")).toBe(1);
});
