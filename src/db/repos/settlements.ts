import { and, asc, desc, eq, lt, or } from "drizzle-orm";
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
  },
): Promise<SettlementRow> {
  const [row] = await db.insert(settlements).values(s).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function findSettlement(db: Executor, id: number): Promise<SettlementRow | undefined> {
  const [row] = await db.select().from(settlements).where(eq(settlements.id, id));
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
  const where = opts.beforeId ? and(involved, lt(settlements.id, opts.beforeId)) : involved;
  return db.select().from(settlements).where(where).orderBy(desc(settlements.id)).limit(opts.limit);
}

/** A group's settlements, newest first, keyset-paginated by id. */
export async function listSettlementsOfGroup(
  db: Executor,
  groupId: number,
  opts: { limit: number; beforeId?: number | undefined },
): Promise<SettlementRow[]> {
  const inGroup = eq(settlements.groupId, groupId);
  const where = opts.beforeId ? and(inGroup, lt(settlements.id, opts.beforeId)) : inGroup;
  return db.select().from(settlements).where(where).orderBy(desc(settlements.id)).limit(opts.limit);
}

export async function allSettlements(db: Executor): Promise<SettlementRow[]> {
  return db.select().from(settlements).orderBy(asc(settlements.id));
}
