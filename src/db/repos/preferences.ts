import { eq } from "drizzle-orm";
import { users } from "../schema.js";
import type { Executor } from "../types.js";

/** Which optional mails a user wants (invitations are always sent). */
export interface EmailPreferences {
  expenseEmails: boolean;
  weeklySummary: boolean;
}

export async function findEmailPreferences(
  db: Executor,
  userId: number,
): Promise<EmailPreferences | undefined> {
  const [row] = await db
    .select({ expenseEmails: users.notifyExpenses, weeklySummary: users.notifyWeekly })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

/** Sets the given preferences (the others stay); false when there is no such user. */
export async function updateEmailPreferences(
  db: Executor,
  userId: number,
  change: Partial<EmailPreferences>,
): Promise<boolean> {
  const set: Partial<typeof users.$inferInsert> = {};
  if (change.expenseEmails !== undefined) set.notifyExpenses = change.expenseEmails;
  if (change.weeklySummary !== undefined) set.notifyWeekly = change.weeklySummary;
  if (Object.keys(set).length === 0) return true;
  const updated = await db
    .update(users)
    .set(set)
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  return updated.length > 0;
}
