import { pairsWith } from "../db/repos/balances.js";
import { befriend, type FriendRow, listFriendsOf, unfriend } from "../db/repos/friendships.js";
import { findUserByEmail, type UserRow } from "../db/repos/users.js";
import { inTransaction } from "../db/transaction.js";
import { formatMinor } from "../domain/currency.js";
import { Conflict, NotFound, RuleViolation } from "../domain/errors.js";
import { inviteUser } from "./accounts.js";
import type { AppContext } from "./context.js";

export interface AddFriendInput {
  email: string;
  /** Needed only to invite someone who has no account yet. */
  name?: string | undefined;
}

/**
 * Connects the actor and the person with this exact email, both ways (Splitwise's "add friend").
 * An unknown email with a name invites them (as POST /users without a password does; they add
 * their mobile number when they claim). `created` is false if they already were friends.
 */
export async function addFriend(
  ctx: AppContext,
  actor: number,
  input: AddFriendInput,
): Promise<{ friend: UserRow; created: boolean }> {
  const email = input.email.trim();
  const existing = await findUserByEmail(ctx.db, email);
  if (existing?.id === actor)
    throw new RuleViolation("You cannot add yourself as a friend", [
      { field: "email", message: "is your own email" },
    ]);
  if (existing?.deactivatedAt)
    throw new RuleViolation("No active user has this email", [
      { field: "email", message: "no active user has this email" },
    ]);
  if (existing) return { friend: existing, created: await befriend(ctx.db, actor, existing.id) };
  if (!input.name)
    throw new RuleViolation("Nobody has this email yet; give their name to invite them", [
      { field: "name", message: "is required to invite someone who has no account yet" },
    ]);
  const friend = await inviteUser(ctx, { name: input.name, email, mobileNumber: null }, actor);
  return { friend, created: true };
}

/** The actor's friends, each with what they owe the actor (negative: what the actor owes them). */
export function listFriends(
  ctx: AppContext,
  actor: number,
  opts: { afterId: number; limit: number },
): Promise<FriendRow[]> {
  return listFriendsOf(ctx.db, actor, opts);
}

/**
 * Ends a friendship (both ways); refused while the two owe each other anything. They may still
 * know each other through shared expenses or an invitation (src/db/repos/knows.ts).
 */
export async function removeFriend(
  ctx: AppContext,
  actor: number,
  friendId: number,
): Promise<void> {
  await inTransaction(
    ctx.db,
    async (tx) => {
      if (!(await unfriend(tx, actor, friendId))) throw new NotFound("friend", friendId);
      // Every currency counts: a balance in any of them keeps the friendship.
      const open = (await pairsWith(tx, actor, [friendId])).filter((p) => p.aOwesB !== 0);
      if (open.length > 0)
        throw new Conflict(
          `You and user ${friendId} still owe each other ${open.map((p) => `${formatMinor(Math.abs(p.aOwesB), p.currency)} ${p.currency}`).join(" and ")}; settle up first`,
        );
    },
    ctx.config.TX_MAX_RETRIES,
  );
}
