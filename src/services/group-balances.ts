import { type ExpenseCursor, listExpensesOfGroup } from "../db/repos/expense-lists.js";
import type { ExpenseRecord } from "../db/repos/expenses.js";
import { groupNonZeroPairs } from "../db/repos/group-balances.js";
import { findGroupOfMember, type GroupRow, membersOf } from "../db/repos/groups.js";
import { listSettlementsOfGroup, type SettlementRow } from "../db/repos/settlements.js";
import { amountIn, type CurrencyAmount, netsByUser } from "../domain/balances.js";
import { NotFound } from "../domain/errors.js";
import { type CurrencyTransfer, pairTransfers, simplifyPerCurrency } from "../domain/simplify.js";
import type { AppContext } from "./context.js";
import { convertEach } from "./conversion.js";

/** A group's balances as GET /groups/{id}/balances and the group page show them. */
export interface GroupBalances {
  groupId: number;
  /** Whether `transfers` is the fewest-transfer plan (else: every non-zero pairwise balance). */
  simplified: boolean;
  /** Who pays whom, in which currency (never netted across currencies), by (from, to, currency). */
  transfers: CurrencyTransfer[];
  /** The group's currency: the one of each member's `net`. */
  currency: string;
  /**
   * Every current member with their net in the group (owed to them minus owed by them; zeros
   * included) in the group's currency, and in every currency where it is not zero (`nets`), by
   * name; in each currency the nets sum to zero.
   */
  members: {
    userId: number;
    name: string;
    net: number;
    nets: CurrencyAmount[];
    /** With `convertTo`: `nets` summed into `converted.currency` (minor units). */
    convertedNet?: number;
  }[];
  /** With `convertTo`: the currency of every member's `convertedNet` and its rates' date. */
  converted?: { currency: string; ratesAsOf: string | null };
}

async function memberGroup(ctx: AppContext, groupId: number, actor: number): Promise<GroupRow> {
  const group = await findGroupOfMember(ctx.db, groupId, actor);
  if (!group) throw new NotFound("group", groupId);
  return group;
}

/**
 * The group's own balances (only its expenses and settlements), per currency. With `simplify`
 * (default: the group's simplify_debts), the fewest transfers that settle the members' nets in
 * each currency, found by the same exact solver as a user's plan but over the group alone;
 * otherwise the pairwise balances. With `convertTo`, also each member's nets summed into that
 * currency, the rates read once for the whole group (at most one more statement; MissingRates,
 * 422, names every currency without a rate).
 */
export async function getGroupBalances(
  ctx: AppContext,
  groupId: number,
  opts: { simplify?: boolean | undefined; convertTo?: string | undefined },
  actor: number,
): Promise<GroupBalances> {
  const group = await memberGroup(ctx, groupId, actor);
  const pairs = await groupNonZeroPairs(ctx.db, groupId);
  const members = (await membersOf(ctx.db, [groupId])).get(groupId) ?? [];
  const simplified = opts.simplify ?? group.simplifyDebts;
  const transfers = simplified ? simplifyPerCurrency(pairs) : pairTransfers(pairs);
  const netsOf = netsByUser(pairs);
  const balances: GroupBalances = {
    groupId,
    simplified,
    transfers,
    currency: group.currency,
    members: members.map((m) => {
      const nets = netsOf.get(m.userId) ?? [];
      return { ...m, net: amountIn(nets, group.currency), nets };
    }),
  };
  if (opts.convertTo === undefined) return balances;
  const c = await convertEach(
    ctx.db,
    balances.members.map((m) => m.nets),
    opts.convertTo,
  );
  return {
    ...balances,
    members: balances.members.map((m, i) => ({ ...m, convertedNet: c.amounts[i] ?? 0 })),
    converted: { currency: c.currency, ratesAsOf: c.ratesAsOf },
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
