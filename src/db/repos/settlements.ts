import { and, asc, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { settlements } from "../schema.js";
import type { Executor } from "../types.js";

export type SettlementRow = typeof settlements.$inferSelect;

export async function insertSettlement(
  db: Executor,
  s: {
    fromUser: number;
    toUser: number;
    amount: number;
    currency: string;
    createdBy: number | null;
    groupId: number | null;
    note: string | null;
  },
): Promise<SettlementRow> {
  const [row] = await db.insert(settlements).values(s).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

/**
 * A live (not deleted) settlement; with `deleted`, a deleted one too (restore); with `lock`, its
 * row is locked for a delete or restore.
 */
export async function findSettlement(
  db: Executor,
  id: number,
  opts: { lock?: boolean; deleted?: boolean } = {},
): Promise<SettlementRow | undefined> {
  const byId = eq(settlements.id, id);
  const query = db
    .select()
    .from(settlements)
    .where(opts.deleted ? byId : and(byId, isNull(settlements.deletedAt)));
  const [row] = opts.lock ? await query.for("update") : await query;
  return row;
}

/** Marks a settlement deleted (or, with `actor` null, live again): the caller moves the balances. */
export async function setSettlementDeleted(
  db: Executor,
  id: number,
  deletedBy: number | null,
): Promise<SettlementRow> {
  const [row] = await db
    .update(settlements)
    .set(
      deletedBy === null
        ? { deletedAt: null, deletedBy: null }
        : { deletedAt: sql`now()`, deletedBy },
    )
    .where(eq(settlements.id, id))
    .returning();
  if (!row) throw new Error("update returned no row");
  return row;
}

/** Settlements a user paid or received, newest first, keyset-paginated by id. */
export async function listSettlementsOfUser(
  db: Executor,
  userId: number,
  opts: { limit: number; beforeId?: number | undefined; withUser?: number | undefined },
): Promise<SettlementRow[]> {
  const mine = or(eq(settlements.fromUser, userId), eq(settlements.toUser, userId));
  // Only those between the user and `withUser` (a person's history on the pages).
  const w = opts.withUser;
  const involved =
    w === undefined
      ? mine
      : or(
          and(eq(settlements.fromUser, userId), eq(settlements.toUser, w)),
          and(eq(settlements.fromUser, w), eq(settlements.toUser, userId)),
        );
  const live = and(involved, isNull(settlements.deletedAt));
  const where = opts.beforeId ? and(live, lt(settlements.id, opts.beforeId)) : live;
  return db.select().from(settlements).where(where).orderBy(desc(settlements.id)).limit(opts.limit);
}

/** A group's settlements, newest first, keyset-paginated by id. */
export async function listSettlementsOfGroup(
  db: Executor,
  groupId: number,
  opts: { limit: number; beforeId?: number | undefined },
): Promise<SettlementRow[]> {
  const inGroup = and(eq(settlements.groupId, groupId), isNull(settlements.deletedAt));
  const where = opts.beforeId ? and(inGroup, lt(settlements.id, opts.beforeId)) : inGroup;
  return db.select().from(settlements).where(where).orderBy(desc(settlements.id)).limit(opts.limit);
}

/** Every live settlement (ledger verification). */
export async function allSettlements(db: Executor): Promise<SettlementRow[]> {
  return db
    .select()
    .from(settlements)
    .where(isNull(settlements.deletedAt))
    .orderBy(asc(settlements.id));
}
