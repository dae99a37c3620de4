import { nonZeroPairsOf } from "../db/repos/balances.js";
import { groupNonZeroPairsOfUser } from "../db/repos/group-balances.js";
import { isKnown, listKnown } from "../db/repos/knows.js";
import {
  deactivateUser,
  findUser,
  findUserByEmail,
  lockUserForUpdate,
  type UserRow,
  updateProfile as updateProfileRow,
} from "../db/repos/users.js";
import { inTransaction } from "../db/transaction.js";
import type { LedgerDelta } from "../domain/debts.js";
import { Conflict, NotFound } from "../domain/errors.js";
import { assertSelf } from "./access.js";
import type { AppContext } from "./context.js";

/** A user is visible in full only to the people who know them (src/db/repos/knows.ts). */
export async function getUser(ctx: AppContext, id: number, actor: number): Promise<UserRow> {
  const user = await findUser(ctx.db, id);
  if (!user || (id !== actor && !(await isKnown(ctx.db, actor, id))))
    throw new NotFound("user", id);
  return user;
}

/** The people the actor knows (and themselves), optionally by name/email prefix. */
export function searchUsers(
  ctx: AppContext,
  actor: number,
  opts: { afterId: number; limit: number; prefix?: string | undefined },
): Promise<UserRow[]> {
  return listKnown(ctx.db, actor, opts);
}

/**
 * Lookup by exact email: knowing the address is how you find someone to add as a friend.
 * `known` says whether the actor may see more than their id and name.
 */
export async function lookUpByEmail(
  ctx: AppContext,
  actor: number,
  email: string,
): Promise<{ user: UserRow; known: boolean } | undefined> {
  const user = await findActiveUserByEmail(ctx, email);
  if (!user) return undefined;
  return { user, known: user.id === actor || (await isKnown(ctx.db, actor, user.id)) };
}

/** An active user by exact (case-insensitive) email. */
export async function findActiveUserByEmail(
  ctx: AppContext,
  email: string,
): Promise<UserRow | undefined> {
  const user = await findUserByEmail(ctx.db, email);
  return user && !user.deactivatedAt ? user : undefined;
}

/**
 * Deactivates a user. Refused while any balance with them is non-zero, overall or in any group;
 * the user row stays, so their history keeps its names. The row lock makes this wait for (and then see) any in-flight
 * expense or settlement that share-locked the user.
 */
export async function deactivateUserById(
  ctx: AppContext,
  id: number,
  actor: number,
): Promise<void> {
  assertSelf(actor, id);
  await inTransaction(
    ctx.db,
    async (tx) => {
      const user = await lockUserForUpdate(tx, id);
      if (!user) throw new NotFound("user", id);
      if (user.deactivatedAt) return;
      const others = (pairs: LedgerDelta[]) =>
        [...new Set(pairs.map((p) => (p.userA === id ? p.userB : p.userA)))].join(", ");
      const open = await nonZeroPairsOf(tx, id);
      if (open.length > 0)
        throw new Conflict(
          `User ${id} still has non-zero balances with users ${others(open)}; settle up first`,
        );
      // Square overall is not enough: a group balance netted by one outside the group would
      // stay in the group for good, unsettleable (a deactivated user cannot take part).
      const inGroups = await groupNonZeroPairsOfUser(tx, id);
      const first = inGroups[0];
      if (first) {
        const there = inGroups.filter((p) => p.groupId === first.groupId);
        throw new Conflict(
          `User ${id} still has non-zero balances in group ${first.groupId} with users ${others(there)}; settle up first`,
        );
      }
      await deactivateUser(tx, id);
    },
    ctx.config.TX_MAX_RETRIES,
  );
}

/** Changes the actor's own name and mobile number (the email is their login: not here). */
export async function updateProfile(
  ctx: AppContext,
  userId: number,
  change: { name?: string; mobileNumber?: string },
): Promise<UserRow> {
  const row = await updateProfileRow(ctx.db, userId, change);
  if (!row) throw new NotFound("user", userId);
  return row;
}
