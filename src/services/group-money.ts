import type { Executor } from "../db/client.js";
import { applyGroupDeltas } from "../db/repos/group-balances.js";
import { type GroupRow, lockGroups } from "../db/repos/groups.js";
import type { LedgerDelta } from "../domain/debts.js";
import { NotFound, RuleViolation } from "../domain/errors.js";

/** A group as locked for a write, with which of the asked-about ids are current members. */
export type LockedGroup = GroupRow & { members: number[] };

/**
 * Share-locks the group money is about to move in (so no member is removed and the group is not
 * archived meanwhile) and reads, in the same statement, which of the actor and `fields`' ids are
 * current members. Undefined when there is no such group at all.
 */
export async function lockGroupForMoney(
  db: Executor,
  groupId: number,
  actor: number,
  fields: Map<number, string>,
): Promise<LockedGroup | undefined> {
  const [group] = await lockGroups(db, [groupId], [actor, ...fields.keys()], "share");
  return group;
}

/** 404 unless the actor is a current member: a group is invisible to everyone else. */
export function assertMemberOf(
  group: LockedGroup | undefined,
  groupId: number,
  actor: number,
): asserts group is LockedGroup {
  if (!group?.members.includes(actor)) throw new NotFound("group", groupId);
}

/** 422 when the group is archived: it is read-only. */
export function assertNotArchived(group: GroupRow, field = "group_id"): void {
  if (group.archivedAt !== null)
    throw new RuleViolation(
      `Group ${group.id} is archived: nothing can be added or changed in it`,
      [{ field, message: `group ${group.id} is archived` }],
    );
}

/** 422 listing every id of `fields` that is not a current member of the group. */
export function assertAllMembers(group: LockedGroup, fields: Map<number, string>): void {
  const outsiders = [...fields.keys()].filter((id) => !group.members.includes(id));
  if (outsiders.length === 0) return;
  throw new RuleViolation(
    `Not members of group ${group.id}: ${outsiders.join(", ")}`,
    outsiders.map((id) => ({
      field: fields.get(id) ?? "",
      message: `user ${id} is not a member of group ${group.id}`,
    })),
  );
}

/**
 * The checks for money written into a group, in the order of the access rules: may see it (404),
 * then the money itself (`judge`, given the group: its currency is the default; 422), then the
 * group's state (422 archived, 422 non-members). Returns the group and what `judge` returned.
 */
export async function groupForMoney<T>(
  db: Executor,
  groupId: number,
  actor: number,
  fields: Map<number, string>,
  judge: (group: LockedGroup) => T,
): Promise<{ group: LockedGroup; judged: T }> {
  const group = await lockGroupForMoney(db, groupId, actor, fields);
  assertMemberOf(group, groupId, actor);
  const judged = judge(group);
  assertNotArchived(group);
  assertAllMembers(group, fields);
  return { group, judged };
}

/** A group's share of a balance change: one sorted multi-row upsert, nothing outside a group. */
export async function applyToGroup(
  db: Executor,
  groupId: number | null,
  deltas: LedgerDelta[],
): Promise<void> {
  if (groupId !== null) await applyGroupDeltas(db, groupId, deltas);
}
