import { activeKnownPeople, knownNamesAmong } from "../db/repos/knows.js";
import { namesOf } from "../db/repos/users.js";
import type { AppContext } from "./context.js";
import { addFriend } from "./friends.js";
import { findActiveUserByEmail as findActiveUser } from "./users.js";

export interface Person {
  id: number;
  name: string;
  email: string;
}

/** Active people the user knows (src/db/repos/knows.ts), by name: whom the pages offer. */
export function peopleOf(ctx: AppContext, userId: number): Promise<Person[]> {
  return activeKnownPeople(ctx.db, userId);
}

/**
 * "Add someone by exact email" on the pages: the same as POST /friends for an existing user
 * (the two become friends), so they can then be added. Undefined if no active user has it.
 */
export async function befriendByEmail(
  ctx: AppContext,
  actor: number,
  email: string,
): Promise<Person | undefined> {
  const user = await findActiveUser(ctx, email.trim());
  if (!user) return undefined;
  if (user.id !== actor) await addFriend(ctx, actor, { email: user.email });
  return { id: user.id, name: user.name, email: user.email };
}

/** Names of those of `ids` the viewer knows; anyone else is left out (no name leaks). */
export function knownNames(
  ctx: AppContext,
  viewer: number,
  ids: number[],
): Promise<Map<number, string>> {
  return knownNamesAmong(ctx.db, viewer, ids);
}

/** Display names by id (deactivated users keep their names in history). */
export function namesByIds(ctx: AppContext, ids: number[]): Promise<Map<number, string>> {
  return namesOf(ctx.db, ids);
}
