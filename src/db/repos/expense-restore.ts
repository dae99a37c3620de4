import { eq, sql } from "drizzle-orm";
import { expenses } from "../schema.js";
import type { Executor } from "../types.js";

/**
 * Brings a deleted expense back (POST /expenses/{id}/restore): live again with a new version; its
 * payer and share rows were never removed, and the caller re-applies its balances.
 */
export async function markExpenseRestored(db: Executor, id: number, actor: number): Promise<void> {
  await db
    .update(expenses)
    .set({
      deletedAt: null,
      deletedBy: null,
      updatedBy: actor,
      updatedAt: sql`now()`,
      version: sql`${expenses.version} + 1`,
    })
    .where(eq(expenses.id, id));
}
