import { and, asc, desc, eq, gt, ilike, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { expensePayers, expenseShares, expenses } from "../schema.js";
import type { Executor } from "../types.js";
import { type ExpenseRecord, withLines } from "./expenses.js";

// Lists of expenses (a user's, filtered; a group's), newest first and keyset-paginated.

export interface ExpenseCursor {
  date: string;
  id: number;
}

const involving = (userId: number) => sql`${expenses.id} in (
    select ${expenseShares.expenseId} from ${expenseShares} where ${expenseShares.userId} = ${userId}
    union
    select ${expensePayers.expenseId} from ${expensePayers} where ${expensePayers.userId} = ${userId})`;

/** Filters of a user's expense list (the API's and the pages'). */
export interface ExpenseFilter {
  /** Only expenses this person is also part of. */
  withUser?: number | undefined;
  /** Only expenses whose description contains this text (any case). */
  search?: string | undefined;
}

export interface ExpenseListOptions extends ExpenseFilter {
  limit: number;
  /** Older than this row (the next page). */
  before?: ExpenseCursor | undefined;
  /** Newer than this row (the previous page); the result is still newest first. */
  after?: ExpenseCursor | undefined;
}

/** `%` and `_` typed by a person are literal text, not patterns. */
const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The conditions of a filtered list: live, involving the user, then the filters. */
export function expenseConditions(userId: number, f: ExpenseFilter) {
  const conditions = [isNull(expenses.deletedAt), involving(userId)];
  if (f.withUser !== undefined) conditions.push(involving(f.withUser));
  if (f.search) conditions.push(ilike(expenses.description, likeText(f.search)));
  return conditions;
}

/**
 * Live expenses a user paid for or shares in, newest first (date, then id), keyset-paginated
 * both ways; with `withUser`, only those that person is also part of; with `search`, only
 * descriptions containing the text.
 */
export async function listExpensesOfUser(
  db: Executor,
  userId: number,
  opts: ExpenseListOptions,
): Promise<ExpenseRecord[]> {
  const conditions = expenseConditions(userId, opts);
  if (opts.before) conditions.push(olderThan(opts.before));
  if (opts.after) {
    const { date, id } = opts.after;
    const newer = or(
      gt(expenses.expenseDate, date),
      and(eq(expenses.expenseDate, date), gt(expenses.id, id)),
    );
    if (newer) conditions.push(newer);
    // The rows just after the cursor, read oldest first, handed back newest first.
    const rows = await db
      .select()
      .from(expenses)
      .where(and(...conditions))
      .orderBy(asc(expenses.expenseDate), asc(expenses.id))
      .limit(opts.limit);
    return withLines(db, rows.reverse());
  }
  return newestFirst(db, conditions, opts.limit);
}

/** Rows strictly before a keyset cursor (newest first: an earlier date, or the same date and a lower id). */
const olderThan = ({ date, id }: ExpenseCursor): SQL =>
  or(
    lt(expenses.expenseDate, date),
    and(eq(expenses.expenseDate, date), lt(expenses.id, id)),
  ) as SQL;

async function newestFirst(
  db: Executor,
  conditions: SQL[],
  limit: number,
): Promise<ExpenseRecord[]> {
  const rows = await db
    .select()
    .from(expenses)
    .where(and(...conditions))
    .orderBy(desc(expenses.expenseDate), desc(expenses.id))
    .limit(limit);
  return withLines(db, rows);
}

/** A group's live expenses, newest first (date, then id), keyset-paginated. */
export async function listExpensesOfGroup(
  db: Executor,
  groupId: number,
  opts: { limit: number; before?: ExpenseCursor | undefined },
): Promise<ExpenseRecord[]> {
  const conditions = [isNull(expenses.deletedAt), eq(expenses.groupId, groupId)];
  if (opts.before) conditions.push(olderThan(opts.before));
  return newestFirst(db, conditions, opts.limit);
}
