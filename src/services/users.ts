import { pgConstraint, pgErrorCode } from "../db/errors.js";
import { nonZeroPairsOf } from "../db/repos/balances.js";
import {
  deactivateUser,
  findUser,
  insertUser,
  listUsers,
  lockUserForUpdate,
  type UserRow,
} from "../db/repos/users.js";
import { inTransaction } from "../db/transaction.js";
import { Conflict, NotFound } from "../domain/errors.js";
import type { AppContext } from "./context.js";

export interface NewUser {
  name: string;
  email: string;
  mobileNumber: string;
}

export async function createUser(ctx: AppContext, u: NewUser): Promise<UserRow> {
  try {
    return await insertUser(ctx.db, u);
  } catch (err) {
    if (pgErrorCode(err) === "23505" && pgConstraint(err) === "users_email_lower_key") {
      throw new Conflict("A user with this email already exists", [
        { field: "email", message: "is already registered" },
      ]);
    }
    throw err;
  }
}

export async function getUser(ctx: AppContext, id: number): Promise<UserRow> {
  const user = await findUser(ctx.db, id);
  if (!user) throw new NotFound("user", id);
  return user;
}

export function searchUsers(
  ctx: AppContext,
  opts: { afterId: number; limit: number; prefix?: string | undefined },
): Promise<UserRow[]> {
  return listUsers(ctx.db, opts);
}

/**
 * Deactivates a user. Refused while any balance with them is non-zero; the user row stays, so
 * their history keeps its names. The row lock makes this wait for (and then see) any in-flight
 * expense or settlement that share-locked the user.
 */
export async function deactivateUserById(ctx: AppContext, id: number): Promise<void> {
  await inTransaction(
    ctx.db,
    async (tx) => {
      const user = await lockUserForUpdate(tx, id);
      if (!user) throw new NotFound("user", id);
      if (user.deactivatedAt) return;
      const open = await nonZeroPairsOf(tx, id);
      if (open.length > 0) {
        const others = open.map((p) => (p.userA === id ? p.userB : p.userA));
        throw new Conflict(
          `User ${id} still has non-zero balances with users ${others.join(", ")}; settle up first`,
        );
      }
      await deactivateUser(tx, id);
    },
    ctx.config.TX_MAX_RETRIES,
  );
}
