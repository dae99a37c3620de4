import { sql } from "drizzle-orm";
import type { TestDatabase } from "./database.js";

/**
 * Rows that a refused request must leave alone. api_tokens without last_used_at (every
 * authenticated call touches it); sessions are left out (a page view may refresh one).
 */
const ROWS = [
  "select * from users",
  "select * from expenses",
  "select * from expense_payers",
  "select * from expense_shares",
  "select * from settlements",
  "select * from pair_balances",
  "select * from group_pair_balances",
  "select * from activity",
  "select * from activity_subjects",
  "select * from outbox",
  "select * from idempotency_keys",
  "select * from account_links",
  "select id, user_id, token_hash, label, expires_at, revoked_at from api_tokens",
];

/** One md5 over every row of every table above: equal before and after = nothing changed. */
export async function tableChecksum(db: TestDatabase): Promise<string> {
  const parts = ROWS.map(
    (q) => `coalesce((select md5(string_agg(x::text, '|' order by x::text)) from (${q}) x), '-')`,
  );
  const r = (await db.db.execute(
    sql.raw(`select ${parts.join(" || ':' || ")} as c`),
  )) as unknown as {
    rows: { c: string }[];
  };
  return r.rows[0]?.c ?? "";
}
