import { and, asc, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { expenses, groupMembers, groups, settlements, users } from "../schema.js";
import type { Executor } from "../types.js";

export type GroupRow = typeof groups.$inferSelect;

export interface GroupMember {
  userId: number;
  name: string;
}

export async function insertGroup(
  db: Executor,
  g: { name: string; simplifyDebts: boolean; createdBy: number; currency?: string },
): Promise<GroupRow> {
  const [row] = await db.insert(groups).values(g).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

/**
 * Makes the users current members (one statement); someone removed earlier is added back.
 * Returns the ids that were not current members before.
 */
export async function addMembers(
  db: Executor,
  groupId: number,
  userIds: number[],
  addedBy: number,
): Promise<number[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .insert(groupMembers)
    .values([...new Set(userIds)].map((userId) => ({ groupId, userId, addedBy })))
    .onConflictDoUpdate({
      target: [groupMembers.groupId, groupMembers.userId],
      set: { removedAt: null, removedBy: null, addedBy, addedAt: sql`now()` },
      // Only a removed member is re-added: a current one keeps who added them and when.
      setWhere: sql`${groupMembers.removedAt} is not null`,
    })
    .returning({ userId: groupMembers.userId });
  return rows.map((r) => r.userId);
}

export async function removeMember(
  db: Executor,
  groupId: number,
  userId: number,
  removedBy: number,
): Promise<void> {
  await db
    .update(groupMembers)
    .set({ removedAt: sql`now()`, removedBy })
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)));
}

/**
 * The group and which of `ids` are its current members, in one statement. `lock` takes the
 * group row: "share" for money moving inside the group (many at once), "update" for what must
 * see no money move meanwhile (removing a member, archiving). Groups are locked in id order.
 */
export async function lockGroups(
  db: Executor,
  groupIds: number[],
  ids: number[],
  lock: "share" | "update",
): Promise<(GroupRow & { members: number[] })[]> {
  if (groupIds.length === 0) return [];
  // Ids are positive: 0 stands in for "none" so the list is never empty.
  const wanted = ids.length > 0 ? [...new Set(ids)] : [0];
  const members = sql<number[]>`coalesce((select array_agg(${groupMembers.userId})
      from ${groupMembers} where ${groupMembers.groupId} = ${groups.id}
      and ${groupMembers.removedAt} is null and ${groupMembers.userId} in ${wanted}), '{}')`;
  const rows = await db
    .select({ group: groups, members })
    .from(groups)
    .where(inArray(groups.id, [...new Set(groupIds)]))
    .orderBy(asc(groups.id))
    .for(lock, { of: groups });
  return rows.map((r) => ({ ...r.group, members: (r.members ?? []).map(Number) }));
}

/** The group, if `actor` is a current member (one statement). */
export async function findGroupOfMember(
  db: Executor,
  groupId: number,
  actor: number,
): Promise<GroupRow | undefined> {
  const [row] = await db
    .select({ group: groups })
    .from(groups)
    .innerJoin(
      groupMembers,
      and(
        eq(groupMembers.groupId, groups.id),
        eq(groupMembers.userId, actor),
        isNull(groupMembers.removedAt),
      ),
    )
    .where(eq(groups.id, groupId));
  return row?.group;
}

/** Whether `userId` is a current member of `groupId`. */
export async function isMember(db: Executor, groupId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: groupMembers.userId })
    .from(groupMembers)
    .where(
      and(
        eq(groupMembers.groupId, groupId),
        eq(groupMembers.userId, userId),
        isNull(groupMembers.removedAt),
      ),
    );
  return row !== undefined;
}

/** Which of `groupIds` the user is a current member of (one statement for any number). */
export async function memberGroupIds(
  db: Executor,
  userId: number,
  groupIds: number[],
): Promise<Set<number>> {
  if (groupIds.length === 0) return new Set();
  const rows = await db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(
      and(
        inArray(groupMembers.groupId, [...new Set(groupIds)]),
        eq(groupMembers.userId, userId),
        isNull(groupMembers.removedAt),
      ),
    );
  return new Set(rows.map((r) => r.groupId));
}

/** The current members of each group, by name then id (one statement for any number of groups). */
export async function membersOf(
  db: Executor,
  groupIds: number[],
): Promise<Map<number, GroupMember[]>> {
  const out = new Map<number, GroupMember[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return out;
  const rows = await db
    .select({ groupId: groupMembers.groupId, userId: users.id, name: users.name })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(and(inArray(groupMembers.groupId, groupIds), isNull(groupMembers.removedAt)))
    .orderBy(asc(groupMembers.groupId), asc(users.name), asc(users.id));
  for (const r of rows) out.get(r.groupId)?.push({ userId: r.userId, name: r.name });
  return out;
}

/** The groups `userId` is a current member of, newest first, keyset-paginated by id. */
export async function listGroupsOfMember(
  db: Executor,
  userId: number,
  opts: { limit: number; beforeId?: number | undefined },
): Promise<GroupRow[]> {
  const conditions = [eq(groupMembers.userId, userId), isNull(groupMembers.removedAt)];
  if (opts.beforeId !== undefined) conditions.push(lt(groups.id, opts.beforeId));
  const rows = await db
    .select({ group: groups })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(...conditions))
    .orderBy(desc(groups.id))
    .limit(opts.limit);
  return rows.map((r) => r.group);
}

export async function updateGroup(
  db: Executor,
  groupId: number,
  changes: { name?: string; simplifyDebts?: boolean; currency?: string },
): Promise<GroupRow> {
  const [row] = await db.update(groups).set(changes).where(eq(groups.id, groupId)).returning();
  if (!row) throw new Error("update returned no row");
  return row;
}

export async function archiveGroup(db: Executor, groupId: number, actor: number): Promise<void> {
  await db
    .update(groups)
    .set({ archivedAt: sql`now()`, archivedBy: actor })
    .where(eq(groups.id, groupId));
}

/** Group names by id (one statement). */
export async function groupNamesOf(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: groups.id, name: groups.name })
    .from(groups)
    .where(inArray(groups.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Whether anything was ever recorded in the group: an expense or a settlement, deleted or not. */
export async function groupHasMoney(db: Executor, groupId: number): Promise<boolean> {
  const [row] = await db
    .select({
      any: sql<boolean>`exists (select 1 from ${expenses} where ${expenses.groupId} = ${groupId})
        or exists (select 1 from ${settlements} where ${settlements.groupId} = ${groupId})`,
    })
    .from(sql`(select 1) as one`);
  return row?.any === true;
}
