import type { Executor } from "../db/client.js";
import { lockUsersForShare } from "../db/repos/users.js";
import { RuleViolation } from "../domain/errors.js";

export interface LockOptions {
  /**
   * Asked (inside the transaction) about an active user the actor does not know yet: true lets
   * them take part anyway (a settlement along the actor's debt-simplification plan).
   */
  allowStranger?: (id: number) => Promise<boolean>;
}

/**
 * Checks that every referenced user exists, is active and is known to the actor (src/db/repos/
 * knows.ts), share-locking them for the rest of the transaction so none can be deactivated while
 * money involving them moves. One statement. Returns their names by id. `fields` maps each id to
 * the request field that named it, for the error message.
 *
 * An id that does not exist, and one of someone the actor does not know (active or not), get
 * the SAME message, so ids cannot be probed for who exists.
 */
export async function lockActiveUsers(
  db: Executor,
  actor: number,
  fields: Map<number, string>,
  opts: LockOptions = {},
): Promise<Map<number, string>> {
  const ids = [...fields.keys()].sort((a, b) => a - b);
  const found = await lockUsersForShare(db, actor, ids);
  const byId = new Map(found.map((u) => [u.id, u]));
  const unknown: number[] = [];
  const inactive: number[] = [];
  for (const id of ids) {
    const u = byId.get(id);
    if (u?.known) {
      if (u.deactivatedAt) inactive.push(id);
    } else if (!u || u.deactivatedAt || !(await opts.allowStranger?.(id))) unknown.push(id);
  }
  const issues = [
    ...unknown.map((id) => ({
      field: fields.get(id) ?? "",
      message: `user ${id} is unknown: add them as a friend first`,
    })),
    ...inactive.map((id) => ({
      field: fields.get(id) ?? "",
      message: `user ${id} is deactivated`,
    })),
  ];
  if (unknown.length > 0)
    throw new RuleViolation(`Unknown user ids: ${unknown.join(", ")}`, issues);
  if (inactive.length > 0)
    throw new RuleViolation(`Deactivated users cannot take part: ${inactive.join(", ")}`, issues);
  return new Map(found.map((u) => [u.id, u.name]));
}

/**
 * For a change to money already recorded (an edit, delete or restore): share-locks the people it
 * moves money for and refuses (422) if any of them is deactivated. They were square when they
 * left, so any such change would give them a balance nobody can settle (they cannot take part
 * in a settlement). `fields` maps each id to the field named in the error ("expense", …).
 */
export async function assertNoneDeactivated(
  db: Executor,
  actor: number,
  fields: Map<number, string>,
): Promise<void> {
  const ids = [...fields.keys()].sort((a, b) => a - b);
  const gone = (await lockUsersForShare(db, actor, ids)).filter((u) => u.deactivatedAt);
  if (gone.length === 0) return;
  throw new RuleViolation(
    `Deactivated users cannot take part: ${gone.map((u) => u.id).join(", ")}`,
    gone.map((u) => ({ field: fields.get(u.id) ?? "", message: `user ${u.id} is deactivated` })),
  );
}
