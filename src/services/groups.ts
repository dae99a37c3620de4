import type { Executor } from "../db/client.js";
import { groupNonZeroPairs, netsInGroups } from "../db/repos/group-balances.js";
import {
  addMembers,
  archiveGroup,
  findGroupOfMember,
  type GroupMember,
  type GroupRow,
  groupHasMoney,
  insertGroup,
  listGroupsOfMember,
  lockGroups,
  membersOf,
  removeMember,
  updateGroup,
} from "../db/repos/groups.js";
import { inTransaction, type TxHooks, withHooks } from "../db/transaction.js";
import { amountIn, type CurrencyAmount } from "../domain/balances.js";
import { describeCurrency } from "../domain/currency.js";
import { Conflict, NotFound, RuleViolation } from "../domain/errors.js";
import { groupChanges, logGroup } from "./activity.js";
import type { AppContext } from "./context.js";
import { assertMemberOf, assertNotArchived, type LockedGroup } from "./group-money.js";
import { lockActiveUsers } from "./involved-users.js";

/**
 * Groups (a trip, a flat, a couple): creating, reading, renaming, members, archiving. Only current
 * members see a group (NotFound for everyone else); any member may manage it. Money in a group
 * moves through the expense and settlement services (services/group-money.ts); its balances and
 * lists are in services/group-balances.ts.
 */

/** A group with its current members (by name), as the API and the pages show it. */
export interface GroupView extends GroupRow {
  members: GroupMember[];
}

/**
 * A group in the actor's list: also the actor's net in it (owed to them minus owed by them), in
 * the group's currency (`net`) and in every currency with a non-zero net (`nets`).
 */
export interface GroupSummary extends GroupView {
  net: number;
  nets: CurrencyAmount[];
}

export interface NewGroupInput {
  name: string;
  members?: number[] | undefined;
  simplify_debts?: boolean | undefined;
  /** ISO 4217; default APP_CURRENCY. */
  currency?: string | undefined;
}

export interface GroupChanges {
  name?: string | undefined;
  simplify_debts?: boolean | undefined;
  /** Only while nothing was recorded in the group (409 otherwise). */
  currency?: string | undefined;
}

/** 422 unless `code` is an ISO 4217 currency code. */
function assertCurrency(code: string | undefined): void {
  const problem = code === undefined ? null : describeCurrency(code);
  if (problem !== null)
    throw new RuleViolation("The currency is not valid", [{ field: "currency", message: problem }]);
}

async function view(db: Executor, group: GroupRow): Promise<GroupView> {
  const members = await membersOf(db, [group.id]);
  return { ...group, members: members.get(group.id) ?? [] };
}

/** The group for a change: row-locked, the actor a member (404), not archived (422). */
async function lockForChange(
  tx: Executor,
  groupId: number,
  actor: number,
  others: number[] = [],
): Promise<LockedGroup> {
  const [group] = await lockGroups(tx, [groupId], [actor, ...others], "update");
  assertMemberOf(group, groupId, actor);
  assertNotArchived(group, "groupid");
  return group;
}

/**
 * Creates a group with the actor and `members` in it. Members must be people the actor knows
 * (the same 422 as unknown ids otherwise) and active.
 */
export async function createGroup(
  ctx: AppContext,
  input: NewGroupInput,
  actor: number,
  hooks?: TxHooks<GroupView>,
): Promise<GroupView> {
  assertCurrency(input.currency);
  const fields = new Map<number, string>();
  (input.members ?? []).forEach((id, i) => {
    if (!fields.has(id)) fields.set(id, `members[${i}]`);
  });
  return inTransaction(
    ctx.db,
    (tx) =>
      withHooks(tx, hooks, async () => {
        await lockActiveUsers(tx, actor, fields);
        const group = await insertGroup(tx, {
          name: input.name,
          simplifyDebts: input.simplify_debts ?? true,
          createdBy: actor,
          currency: input.currency ?? ctx.config.APP_CURRENCY,
        });
        await addMembers(tx, group.id, [actor, ...fields.keys()], actor);
        await logGroup(tx, "group.created", actor, group.id, { subjects: [...fields.keys()] });
        return view(tx, group);
      }),
    ctx.config.TX_MAX_RETRIES,
  );
}

/** A group the actor is a member of (archived ones too: they stay readable). */
export async function getGroup(
  ctx: AppContext,
  groupId: number,
  actor: number,
): Promise<GroupView> {
  const group = await findGroupOfMember(ctx.db, groupId, actor);
  if (!group) throw new NotFound("group", groupId);
  return view(ctx.db, group);
}

/**
 * The actor's groups, newest first, each with its members and the actor's net in it (three
 * statements for a page). Pass `limit + 1` to learn whether another page exists.
 */
export async function listGroups(
  ctx: AppContext,
  actor: number,
  opts: { limit: number; beforeId?: number | undefined },
): Promise<GroupSummary[]> {
  const rows = await listGroupsOfMember(ctx.db, actor, opts);
  const ids = rows.map((g) => g.id);
  const members = await membersOf(ctx.db, ids);
  const nets = await netsInGroups(ctx.db, actor, ids);
  return rows.map((g) => {
    const mine = nets.get(g.id) ?? [];
    return { ...g, members: members.get(g.id) ?? [], net: amountIn(mine, g.currency), nets: mine };
  });
}

/**
 * Renames the group, turns debt simplification on or off and/or changes its currency — the last
 * only while nothing was ever recorded in it (409 otherwise: its expenses, settlements and the
 * members' `net` are in the old one).
 */
export async function updateGroupSettings(
  ctx: AppContext,
  groupId: number,
  changes: GroupChanges,
  actor: number,
): Promise<GroupView> {
  assertCurrency(changes.currency);
  const group = await inTransaction(
    ctx.db,
    async (tx) => {
      const group = await lockForChange(tx, groupId, actor);
      const currency =
        changes.currency !== undefined && changes.currency !== group.currency
          ? changes.currency
          : undefined;
      if (changes.name === undefined && changes.simplify_debts === undefined && !currency)
        return group;
      // The row lock (update) keeps any expense or settlement out meanwhile.
      if (currency && (await groupHasMoney(tx, groupId)))
        throw new Conflict(
          `Group ${groupId} already has expenses or settlements in ${group.currency}: its currency can no longer change`,
          [
            {
              field: "currency",
              message: "can change only while nothing was recorded in the group",
            },
          ],
        );
      const updated = await updateGroup(tx, groupId, {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.simplify_debts !== undefined ? { simplifyDebts: changes.simplify_debts } : {}),
        ...(currency ? { currency } : {}),
      });
      // Saving the same settings changes nothing, so it is not history either.
      const diff = groupChanges(group, updated);
      if (Object.keys(diff).length > 0)
        await logGroup(tx, "group.updated", actor, groupId, { changes: diff });
      return updated;
    },
    ctx.config.TX_MAX_RETRIES,
  );
  return view(ctx.db, group);
}

/**
 * Adds someone the actor knows (422 like an unknown id otherwise) to the group; `added` is false
 * when they already were a member (nothing changes).
 */
export async function addGroupMember(
  ctx: AppContext,
  groupId: number,
  userId: number,
  actor: number,
): Promise<{ group: GroupView; added: boolean }> {
  const { group, added } = await inTransaction(
    ctx.db,
    async (tx) => {
      const group = await lockForChange(tx, groupId, actor, [userId]);
      if (group.members.includes(userId)) return { group, added: false };
      await lockActiveUsers(tx, actor, new Map([[userId, "userid"]]));
      await addMembers(tx, groupId, [userId], actor);
      await logGroup(tx, "group.member_added", actor, groupId, {
        changes: { member: { from: null, to: userId } },
        subjects: [userId],
      });
      return { group, added: true };
    },
    ctx.config.TX_MAX_RETRIES,
  );
  return { group: await view(ctx.db, group), added };
}

/**
 * Removes a member (the actor themselves: leaving). 409 while any of their pairwise balances in
 * the group is non-zero; they keep their history (and stay known to the members).
 */
export async function removeGroupMember(
  ctx: AppContext,
  groupId: number,
  userId: number,
  actor: number,
): Promise<void> {
  await inTransaction(
    ctx.db,
    async (tx) => {
      const group = await lockForChange(tx, groupId, actor, [userId]);
      if (!group.members.includes(userId)) throw new NotFound("member", userId);
      const open = await groupNonZeroPairs(tx, groupId, userId);
      if (open.length > 0) {
        const others = [...new Set(open.map((p) => (p.userA === userId ? p.userB : p.userA)))];
        throw new Conflict(
          `User ${userId} still has balances in group ${groupId} with ${others.join(", ")}: settle up first`,
          [{ field: "userid", message: "has non-zero balances in the group" }],
        );
      }
      await removeMember(tx, groupId, userId, actor);
      await logGroup(tx, "group.member_removed", actor, groupId, {
        changes: { member: { from: userId, to: null } },
        subjects: [userId],
      });
    },
    ctx.config.TX_MAX_RETRIES,
  );
}

/**
 * Archives the group (DELETE): only when every pairwise balance in it is zero (409 otherwise).
 * It stays readable to its members; nothing can be added to it. Archiving twice changes nothing.
 */
export async function archiveGroupById(
  ctx: AppContext,
  groupId: number,
  actor: number,
): Promise<void> {
  await inTransaction(
    ctx.db,
    async (tx) => {
      const [group] = await lockGroups(tx, [groupId], [actor], "update");
      assertMemberOf(group, groupId, actor);
      if (group.archivedAt !== null) return;
      const open = await groupNonZeroPairs(tx, groupId);
      if (open.length > 0)
        throw new Conflict(
          `Group ${groupId} still has ${open.length} non-zero balance(s): settle up first`,
        );
      await archiveGroup(tx, groupId, actor);
      // Archiving is a change of the group's state: recorded as group.updated.
      await logGroup(tx, "group.updated", actor, groupId, {
        changes: { archived: { from: false, to: true } },
      });
    },
    ctx.config.TX_MAX_RETRIES,
  );
}
