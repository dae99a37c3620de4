import { eq } from "drizzle-orm";
import { users } from "../db/schema.js";
import { NotFound } from "../domain/errors.js";
import { assertSelf } from "./access.js";
import type { AppContext } from "./context.js";

export interface EmailPreferences {
  expenseEmails: boolean;
  weeklySummary: boolean;
}

export async function getPreferences(
  ctx: AppContext,
  userId: number,
  actor: number,
): Promise<EmailPreferences> {
  assertSelf(actor, userId);
  const [row] = await ctx.db
    .select({ expenseEmails: users.notifyExpenses, weeklySummary: users.notifyWeekly })
    .from(users)
    .where(eq(users.id, userId));
  if (!row) throw new NotFound("user", userId);
  return row;
}

export async function updatePreferences(
  ctx: AppContext,
  userId: number,
  change: Partial<EmailPreferences>,
  actor: number,
): Promise<EmailPreferences> {
  assertSelf(actor, userId);
  const set: Partial<typeof users.$inferInsert> = {};
  if (change.expenseEmails !== undefined) set.notifyExpenses = change.expenseEmails;
  if (change.weeklySummary !== undefined) set.notifyWeekly = change.weeklySummary;
  if (Object.keys(set).length > 0) {
    const updated = await ctx.db
      .update(users)
      .set(set)
      .where(eq(users.id, userId))
      .returning({ id: users.id });
    if (updated.length === 0) throw new NotFound("user", userId);
  }
  return getPreferences(ctx, userId, actor);
}
