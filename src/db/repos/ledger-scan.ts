import { asc, isNull } from "drizzle-orm";
import { expenses } from "../schema.js";
import type { Executor } from "../types.js";
import { type ExpenseRecord, withLines } from "./expenses.js";

/** Every live expense with its lines (ledger verification; streaming is a later concern). */
export async function allLiveExpenses(db: Executor): Promise<ExpenseRecord[]> {
  const rows = await db
    .select()
    .from(expenses)
    .where(isNull(expenses.deletedAt))
    .orderBy(asc(expenses.id));
  return withLines(db, rows);
}
