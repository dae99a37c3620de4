import { and, asc, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { PairDelta } from "../../domain/debts.js";
import { groupPairBalances } from "../schema.js";
import type { Executor } from "../types.js";

/**
 * Adds the deltas to one group's pairwise balances in ONE statement, in (user_a, user_b) order
 * like applyDeltas (./balances.ts), so concurrent writers lock rows in the same order.
 */
export async function applyGroupDeltas(
  db: Executor,
  groupId: number,
  deltas: PairDelta[],
): Promise<void> {
  if (deltas.length === 0) return;
  await db
    .insert(groupPairBalances)
    .values(deltas.map((d) => ({ groupId, userA: d.userA, userB: d.userB, aOwesB: d.aOwesB })))
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
  aOwesB: groupPairBalances.aOwesB,
};

/** Every non-zero pair of a group; with `userId`, only the pairs that user is part of. */
export function groupNonZeroPairs(
  db: Executor,
  groupId: number,
  userId?: number,
): Promise<PairDelta[]> {
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
    .orderBy(asc(groupPairBalances.userA), asc(groupPairBalances.userB));
}

/** `userId`'s net in each of the groups (owed to them minus owed by them; one statement). */
export async function netsInGroups(
  db: Executor,
  userId: number,
  groupIds: number[],
): Promise<Map<number, number>> {
  const out = new Map<number, number>(groupIds.map((id) => [id, 0]));
  if (groupIds.length === 0) return out;
  const rows = await db
    .select({
      groupId: groupPairBalances.groupId,
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
    .groupBy(groupPairBalances.groupId);
  for (const r of rows) out.set(r.groupId, Number(r.net));
  return out;
}

/** Every non-zero pair of every group, by group (ledger verification, weekly summaries). */
export async function allGroupNonZeroPairs(
  db: Executor,
): Promise<(PairDelta & { groupId: number })[]> {
  return db
    .select({ groupId: groupPairBalances.groupId, ...pairColumns })
    .from(groupPairBalances)
    .where(ne(groupPairBalances.aOwesB, 0))
    .orderBy(
      asc(groupPairBalances.groupId),
      asc(groupPairBalances.userA),
      asc(groupPairBalances.userB),
    );
}
