import {
  type ExpenseCursor,
  type ExpenseRecord,
  listExpensesOfGroup,
} from "../db/repos/expenses.js";
import { groupNonZeroPairs } from "../db/repos/group-balances.js";
import { findGroupOfMember, type GroupRow, membersOf } from "../db/repos/groups.js";
import { listSettlementsOfGroup, type SettlementRow } from "../db/repos/settlements.js";
import { netPositions } from "../domain/balances.js";
import { NotFound } from "../domain/errors.js";
import { simplifyDebts, type Transfer } from "../domain/simplify.js";
import type { AppContext } from "./context.js";

/** A group's balances as GET /groups/{id}/balances and the group page show them. */
export interface GroupBalances {
  groupId: number;
  /** Whether `transfers` is the fewest-transfer plan (else: every non-zero pairwise balance). */
  simplified: boolean;
  /** Who pays whom (paise), sorted by (from, to). */
  transfers: Transfer[];
  /**
   * Every current member with their net in the group (owed to them minus owed by them; zeros
   * included), by name; the nets sum to zero.
   */
  members: { userId: number; name: string; net: number }[];
}

async function memberGroup(ctx: AppContext, groupId: number, actor: number): Promise<GroupRow> {
  const group = await findGroupOfMember(ctx.db, groupId, actor);
  if (!group) throw new NotFound("group", groupId);
  return group;
}

/**
 * The group's own balances (only its expenses and settlements). With `simplify` (default: the
 * group's simplify_debts), the fewest transfers that settle the members' nets, found by the same
 * exact solver as a user's plan but over the group alone; otherwise the pairwise balances.
 */
export async function getGroupBalances(
  ctx: AppContext,
  groupId: number,
  opts: { simplify?: boolean | undefined },
  actor: number,
): Promise<GroupBalances> {
  const group = await memberGroup(ctx, groupId, actor);
  const pairs = await groupNonZeroPairs(ctx.db, groupId);
  const members = (await membersOf(ctx.db, [groupId])).get(groupId) ?? [];
  const nets = netPositions(pairs);
  const simplified = opts.simplify ?? group.simplifyDebts;
  const transfers: Transfer[] = simplified
    ? simplifyDebts(nets)
    : pairs
        .map((p) =>
          p.aOwesB > 0
            ? { from: p.userA, to: p.userB, amount: p.aOwesB }
            : { from: p.userB, to: p.userA, amount: -p.aOwesB },
        )
        .sort((a, b) => a.from - b.from || a.to - b.to);
  const netOf = new Map(nets.map((n) => [n.userId, n.net]));
  return {
    groupId,
    simplified,
    transfers,
    members: members.map((m) => ({ ...m, net: netOf.get(m.userId) ?? 0 })),
  };
}

/** The group's live expenses, newest first (pass `limit + 1` to learn whether more exist). */
export async function listGroupExpenses(
  ctx: AppContext,
  groupId: number,
  opts: { limit: number; before?: ExpenseCursor | undefined },
  actor: number,
): Promise<ExpenseRecord[]> {
  await memberGroup(ctx, groupId, actor);
  return listExpensesOfGroup(ctx.db, groupId, opts);
}

/** The group's settlements, newest first (pass `limit + 1` to learn whether more exist). */
export async function listGroupSettlements(
  ctx: AppContext,
  groupId: number,
  opts: { limit: number; beforeId?: number | undefined },
  actor: number,
): Promise<SettlementRow[]> {
  await memberGroup(ctx, groupId, actor);
  return listSettlementsOfGroup(ctx.db, groupId, opts);
}
