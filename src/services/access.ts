import type { ExpenseRecord } from "../db/repos/expenses.js";
import { Forbidden, NotFound } from "../domain/errors.js";

/**
 * Access rules, in one place for the API and the pages. What the actor may not see answers
 * NotFound (404), never Forbidden, so ids cannot be probed; Forbidden (403) is only for things the
 * actor can see but not change.
 */

/** A user's own resources (balances, settlements, preferences, deactivation): only they. */
export function assertSelf(actor: number, userId: number): void {
  if (actor !== userId) throw new NotFound("user", userId);
}

export function takesPart(e: Pick<ExpenseRecord, "payers" | "shares">, actor: number): boolean {
  return e.payers.some((p) => p.userId === actor) || e.shares.some((s) => s.userId === actor);
}

/** An expense is visible to whoever paid it or shares in it. */
export function assertCanSeeExpense(e: ExpenseRecord, actor: number): void {
  if (!takesPart(e, actor)) throw new NotFound("expense", e.id);
}

/**
 * Only its creator or its payer may edit or delete an expense. The pages ask this to decide which
 * actions to offer; the assert below uses it too, so the two cannot disagree.
 */
export function canChangeExpense(
  e: Pick<ExpenseRecord, "createdBy" | "payers">,
  actor: number,
): boolean {
  return e.createdBy === actor || e.payers.some((p) => p.userId === actor);
}

export function assertCanChangeExpense(e: ExpenseRecord, actor: number): void {
  assertCanSeeExpense(e, actor);
  if (!canChangeExpense(e, actor))
    throw new Forbidden("Only the person who added or paid this expense may change it");
}

/** A new or edited expense must involve the actor (as payer or participant). */
export function assertActorInvolved(paidBy: number, participants: number[], actor: number): void {
  if (paidBy !== actor && !participants.includes(actor))
    throw new Forbidden("You can only record expenses you paid for or take part in");
}

/** A settlement may be recorded by either of its two users. */
export function assertSettlementParty(fromUser: number, toUser: number, actor: number): void {
  if (fromUser !== actor && toUser !== actor)
    throw new Forbidden("You can only record settlements you paid or received");
}
