import type { Executor } from "../db/client.js";
import { lockUsersForShare } from "../db/repos/users.js";
import { RuleViolation } from "../domain/errors.js";

/**
 * Checks that every referenced user exists and is active, share-locking them for the rest of the
 * transaction so none can be deactivated while money involving them moves. One statement.
 * Returns their names by id. `fields` maps each id to the request field that named it, for the error message.
 */
export async function lockActiveUsers(
  db: Executor,
  fields: Map<number, string>,
): Promise<Map<number, string>> {
  const ids = [...fields.keys()].sort((a, b) => a - b);
  const found = await lockUsersForShare(db, ids);
  const byId = new Map(found.map((u) => [u.id, u]));
  const issues: { field: string; message: string }[] = [];
  const unknown = ids.filter((id) => !byId.has(id));
  const inactive = ids.filter((id) => byId.get(id)?.deactivatedAt);
  for (const id of unknown)
    issues.push({ field: fields.get(id) ?? "", message: `user ${id} does not exist` });
  for (const id of inactive)
    issues.push({ field: fields.get(id) ?? "", message: `user ${id} is deactivated` });
  if (unknown.length > 0)
    throw new RuleViolation(`Unknown user ids: ${unknown.join(", ")}`, issues);
  if (inactive.length > 0)
    throw new RuleViolation(`Deactivated users cannot take part: ${inactive.join(", ")}`, issues);
  return new Map(found.map((u) => [u.id, u.name]));
}
