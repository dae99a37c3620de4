import type { Executor } from "../db/client.js";
import { type ExpenseListOptions, listExpensesOfUser } from "../db/repos/expense-lists.js";
import { type ExpenseRecord, findExpense } from "../db/repos/expenses.js";
import { isMember } from "../db/repos/groups.js";
import { findUser } from "../db/repos/users.js";
import { NotFound } from "../domain/errors.js";
import {
  assertCanChangeExpense,
  assertCanSeeExpense,
  assertSelf,
  canChangeExpense,
} from "./access.js";
import type { AppContext } from "./context.js";

// Reading expenses with the access checks; writing them is ./expenses.ts.

/** Whether the actor is a current member of the expense's group (no query outside a group). */
async function memberOfItsGroup(
  db: Executor,
  e: { groupId: number | null },
  actor: number,
): Promise<boolean> {
  return e.groupId !== null && (await isMember(db, e.groupId, actor));
}

/** An expense the actor may see, and whether they may change it (the pages offer the actions). */
export async function getExpenseWithAccess(
  ctx: AppContext,
  id: number,
  actor: number,
  opts: { deleted?: boolean } = {},
): Promise<{ expense: ExpenseRecord; canChange: boolean }> {
  // With `deleted`, a deleted one too (the page that offers to restore it).
  const expense = await findExpense(ctx.db, id, opts);
  if (!expense) throw new NotFound("expense", id);
  // Someone who takes part needs no membership query to see it, but may need it to change it.
  const member = await memberOfItsGroup(ctx.db, expense, actor);
  assertCanSeeExpense(expense, actor, member);
  return { expense, canChange: canChangeExpense(expense, actor, member) };
}

/** An expense the actor may see (404) and change (403): what an edit or delete form shows. */
export async function getExpenseForChange(
  ctx: AppContext,
  id: number,
  actor: number,
): Promise<ExpenseRecord> {
  const { expense, canChange } = await getExpenseWithAccess(ctx, id, actor);
  if (!canChange) assertCanChangeExpense(expense, actor, false);
  return expense;
}

export async function getExpense(
  ctx: AppContext,
  id: number,
  actor: number,
): Promise<ExpenseRecord> {
  return (await getExpenseWithAccess(ctx, id, actor)).expense;
}

export async function listUserExpenses(
  ctx: AppContext,
  userId: number,
  opts: ExpenseListOptions,
  actor: number,
): Promise<ExpenseRecord[]> {
  assertSelf(actor, userId);
  if (!(await findUser(ctx.db, userId))) throw new NotFound("user", userId);
  return listExpensesOfUser(ctx.db, userId, opts);
}
