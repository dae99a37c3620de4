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

/**
 * An expense is visible to whoever paid it or shares in it, and a group's expense to every
 * current member of the group (`groupMember`: the actor is one).
 */
export function canSeeExpense(
  e: Pick<ExpenseRecord, "payers" | "shares" | "groupId">,
  actor: number,
  groupMember: boolean,
): boolean {
  return takesPart(e, actor) || (e.groupId !== null && groupMember);
}

export function assertCanSeeExpense(e: ExpenseRecord, actor: number, groupMember: boolean): void {
  if (!canSeeExpense(e, actor, groupMember)) throw new NotFound("expense", e.id);
}

/**
 * A group's expense may be edited or deleted by any current member of the group (as in
 * Splitwise); any other expense by anyone who paid or shares in it — exactly those who may see
 * it. Its creator took part when adding it (a must outside groups) but not once an edit left
 * them out: they could no longer see it, and may not change what they cannot see. The pages ask
 * this to decide which actions to offer; the assert below uses it too, so the two cannot disagree.
 */
export function canChangeExpense(
  e: Pick<ExpenseRecord, "payers" | "shares" | "groupId">,
  actor: number,
  groupMember: boolean,
): boolean {
  if (e.groupId !== null) return groupMember;
  return takesPart(e, actor);
}

export function assertCanChangeExpense(
  e: ExpenseRecord,
  actor: number,
  groupMember: boolean,
): void {
  assertCanSeeExpense(e, actor, groupMember);
  // Outside a group, whoever may see it may change it: only a former group member gets here.
  if (!canChangeExpense(e, actor, groupMember))
    throw new Forbidden("Only the group's members may change its expenses");
}

/** A settlement is visible to its two users, and a group's to every current member. */
export function canSeeSettlement(
  s: { fromUser: number; toUser: number; groupId: number | null },
  actor: number,
  groupMember: boolean,
): boolean {
  return s.fromUser === actor || s.toUser === actor || (s.groupId !== null && groupMember);
}

/**
 * A new or edited expense outside a group must involve the actor (as payer or participant); in a
 * group, any member may record it (membership is checked with the group, services/group-money.ts).
 */
export function assertActorInvolved(
  e: Pick<ExpenseRecord, "payers" | "shares">,
  actor: number,
): void {
  if (!takesPart(e, actor))
    throw new Forbidden("You can only record expenses you paid for or take part in");
}

/** A settlement outside a group may be recorded by either of its two users (in a group: any member). */
export function assertSettlementParty(fromUser: number, toUser: number, actor: number): void {
  if (fromUser !== actor && toUser !== actor)
    throw new Forbidden("You can only record settlements you paid or received");
}
