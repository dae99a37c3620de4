import { and, asc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import {
  activity,
  activitySubjects,
  expensePayers,
  expenseShares,
  expenses,
  groupMembers,
  settlements,
  users,
} from "../schema.js";
import type { Executor } from "../types.js";
import type { ActivityRow } from "./activity.js";
import { type ExpenseRecord, withLines } from "./expenses.js";

// Reads for the exports (GET /groups/{id}/export.*, GET /users/{id}/export.json): whole histories
// in a fixed order (date, then id), three statements for the expenses whatever their number.

/** An expense as exported: the ledger's own record (payers, shares, split with items, tax, tip). */
export type ExportExpense = ExpenseRecord;

export interface ExportSettlement {
  id: number;
  fromUser: number;
  toUser: number;
  amount: number;
  currency: string;
  createdAt: Date;
  note: string | null;
}

async function expensesWhere(db: Executor, where: SQL | undefined): Promise<ExportExpense[]> {
  const rows = await db
    .select()
    .from(expenses)
    .where(and(isNull(expenses.deletedAt), where))
    .orderBy(asc(expenses.expenseDate), asc(expenses.id));
  return withLines(db, rows);
}

const settlementColumns = {
  id: settlements.id,
  fromUser: settlements.fromUser,
  toUser: settlements.toUser,
  amount: settlements.amount,
  currency: settlements.currency,
  createdAt: settlements.createdAt,
  note: settlements.note,
};

/** A group's live expenses (with lines) and its live settlements, oldest first. */
export async function groupHistory(
  db: Executor,
  groupId: number,
): Promise<{ expenses: ExportExpense[]; settlements: ExportSettlement[] }> {
  return {
    expenses: await expensesWhere(db, eq(expenses.groupId, groupId)),
    settlements: await db
      .select(settlementColumns)
      .from(settlements)
      .where(and(eq(settlements.groupId, groupId), isNull(settlements.deletedAt)))
      .orderBy(asc(settlements.id)),
  };
}

/** A user's live expenses and settlements outside any group, oldest first. */
export async function historyOutsideGroups(
  db: Executor,
  userId: number,
): Promise<{ expenses: ExportExpense[]; settlements: ExportSettlement[] }> {
  const involving = sql`${expenses.id} in (
    select ${expenseShares.expenseId} from ${expenseShares} where ${expenseShares.userId} = ${userId}
    union
    select ${expensePayers.expenseId} from ${expensePayers} where ${expensePayers.userId} = ${userId})`;
  return {
    expenses: await expensesWhere(db, and(isNull(expenses.groupId), involving)),
    settlements: await db
      .select(settlementColumns)
      .from(settlements)
      .where(
        and(
          isNull(settlements.groupId),
          isNull(settlements.deletedAt),
          or(eq(settlements.fromUser, userId), eq(settlements.toUser, userId)),
        ),
      )
      .orderBy(asc(settlements.id)),
  };
}

/** Names and emails by id, in id order (one statement). */
export async function peopleByIds(
  db: Executor,
  ids: number[],
): Promise<{ id: number; name: string; email: string }[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]))
    .orderBy(asc(users.id));
}

/** A group's whole activity log, oldest first (the export's `activity`). */
export function groupActivity(db: Executor, groupId: number): Promise<ActivityRow[]> {
  return db.select().from(activity).where(eq(activity.groupId, groupId)).orderBy(asc(activity.id));
}

/**
 * A user's whole activity, oldest first: what `GET /users/{id}/activity` pages through (entries
 * about them, and entries of the groups they are a current member of).
 */
export function userActivity(db: Executor, userId: number): Promise<ActivityRow[]> {
  const aboutThem = sql`${activity.id} in (select ${activitySubjects.activityId} from ${activitySubjects}
    where ${activitySubjects.userId} = ${userId})`;
  const inTheirGroups = sql`${activity.groupId} in (select ${groupMembers.groupId} from ${groupMembers}
    where ${groupMembers.userId} = ${userId} and ${groupMembers.removedAt} is null)`;
  return db.select().from(activity).where(or(aboutThem, inTheirGroups)).orderBy(asc(activity.id));
}
