import { and, asc, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { CurrencyAmount } from "../../domain/balances.js";
import type { LedgerDelta } from "../../domain/debts.js";
import { groupMembers, groupPairBalances } from "../schema.js";
import type { Executor } from "../types.js";

/**
 * Adds the deltas to one group's pairwise balances (per pair and currency) in ONE statement, in
 * (user_a, user_b, currency) order like applyDeltas (./balances.ts), so concurrent writers lock
 * rows in the same order.
 */
export async function applyGroupDeltas(
  db: Executor,
  groupId: number,
  deltas: LedgerDelta[],
): Promise<void> {
  if (deltas.length === 0) return;
  await db
    .insert(groupPairBalances)
    .values(
      deltas.map((d) => ({
        groupId,
        userA: d.userA,
        userB: d.userB,
        currency: d.currency,
        aOwesB: d.aOwesB,
      })),
    )
    .onConflictDoUpdate({
      target: [
        groupPairBalances.groupId,
        groupPairBalances.userA,
        groupPairBalances.userB,
        groupPairBalances.currency,
      ],
      set: {
        aOwesB: sql`${groupPairBalances.aOwesB} + excluded.a_owes_b_paise`,
        updatedAt: sql`now()`,
      },
    });
}

const pairColumns = {
  userA: groupPairBalances.userA,
  userB: groupPairBalances.userB,
  currency: groupPairBalances.currency,
  aOwesB: groupPairBalances.aOwesB,
};

/**
 * Every non-zero pair of a group (every currency); with `userId`, only the pairs that user is
 * part of. In (user_a, user_b, currency) order.
 */
export function groupNonZeroPairs(
  db: Executor,
  groupId: number,
  userId?: number,
): Promise<LedgerDelta[]> {
  return db
    .select(pairColumns)
    .from(groupPairBalances)
    .where(
      and(
        eq(groupPairBalances.groupId, groupId),
        ne(groupPairBalances.aOwesB, 0),
        userId === undefined
          ? undefined
          : or(eq(groupPairBalances.userA, userId), eq(groupPairBalances.userB, userId)),
      ),
    )
    .orderBy(
      asc(groupPairBalances.userA),
      asc(groupPairBalances.userB),
      asc(groupPairBalances.currency),
    );
}

/**
 * Every non-zero pair `userId` is part of in any group (every currency), with its group: what
 * keeps them from being deactivated. Only the groups they are or were in can hold one, so those
 * are found first (group_members keeps removed members' rows) and each is a primary-key range.
 */
export function groupNonZeroPairsOfUser(
  db: Executor,
  userId: number,
): Promise<(LedgerDelta & { groupId: number })[]> {
  const theirGroups = db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(eq(groupMembers.userId, userId));
  return db
    .select({ groupId: groupPairBalances.groupId, ...pairColumns })
    .from(groupPairBalances)
    .where(
      and(
        inArray(groupPairBalances.groupId, theirGroups),
        or(eq(groupPairBalances.userA, userId), eq(groupPairBalances.userB, userId)),
        ne(groupPairBalances.aOwesB, 0),
      ),
    )
    .orderBy(
      asc(groupPairBalances.groupId),
      asc(groupPairBalances.userA),
      asc(groupPairBalances.userB),
      asc(groupPairBalances.currency),
    );
}

/**
 * `userId`'s net in each of the groups, per currency (owed to them minus owed by them; zeros
 * omitted, by currency code; one statement).
 */
export async function netsInGroups(
  db: Executor,
  userId: number,
  groupIds: number[],
): Promise<Map<number, CurrencyAmount[]>> {
  const out = new Map<number, CurrencyAmount[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return out;
  const rows = await db
    .select({
      groupId: groupPairBalances.groupId,
      currency: groupPairBalances.currency,
      net: sql<string>`sum(case when ${groupPairBalances.userA} = ${userId}
        then -${groupPairBalances.aOwesB} else ${groupPairBalances.aOwesB} end)`,
    })
    .from(groupPairBalances)
    .where(
      and(
        inArray(groupPairBalances.groupId, groupIds),
        or(eq(groupPairBalances.userA, userId), eq(groupPairBalances.userB, userId)),
      ),
    )
    .groupBy(groupPairBalances.groupId, groupPairBalances.currency)
    .orderBy(asc(groupPairBalances.groupId), asc(groupPairBalances.currency));
  for (const r of rows) {
    const amount = Number(r.net);
    if (amount !== 0) out.get(r.groupId)?.push({ currency: r.currency, amount });
  }
  return out;
}

/** Every non-zero pair of every group, by group (ledger verification, weekly summaries). */
export async function allGroupNonZeroPairs(
  db: Executor,
): Promise<(LedgerDelta & { groupId: number })[]> {
  return db
    .select({ groupId: groupPairBalances.groupId, ...pairColumns })
    .from(groupPairBalances)
    .where(ne(groupPairBalances.aOwesB, 0))
    .orderBy(
      asc(groupPairBalances.groupId),
      asc(groupPairBalances.userA),
      asc(groupPairBalances.userB),
      asc(groupPairBalances.currency),
    );
}
