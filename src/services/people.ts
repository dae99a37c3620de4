import { and, asc, isNull, sql } from "drizzle-orm";
import { namesOf } from "../db/repos/users.js";
import { pairBalances, users } from "../db/schema.js";
import type { AppContext } from "./context.js";
import { findActiveUserByEmail as findActiveUser } from "./users.js";

export interface Person {
  id: number;
  name: string;
  email: string;
}

/**
 * Active people the user has shared a live expense with (as payer or participant, either side)
 * or exchanged money with (a pair balance row, which also covers settlements). One statement.
 */
export async function peopleOf(ctx: AppContext, userId: number): Promise<Person[]> {
  const mine = sql`(select expense_id from expense_shares where user_id = ${userId}
      union select expense_id from expense_payers where user_id = ${userId})`;
  const others = sql`(
      select s.user_id from expense_shares s join expenses e on e.id = s.expense_id
        where e.deleted_at is null and s.expense_id in ${mine}
      union select p.user_id from expense_payers p join expenses e on e.id = p.expense_id
        where e.deleted_at is null and p.expense_id in ${mine}
      union select case when ${pairBalances.userA} = ${userId} then ${pairBalances.userB}
        else ${pairBalances.userA} end from ${pairBalances}
        where ${pairBalances.userA} = ${userId} or ${pairBalances.userB} = ${userId})`;
  return ctx.db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(
      and(
        sql`${users.id} in ${others}`,
        sql`${users.id} <> ${userId}`,
        isNull(users.deactivatedAt),
      ),
    )
    .orderBy(asc(users.name), asc(users.id));
}

/** An active user by exact (case-insensitive) email, for "add someone by email". */
export async function findActiveUserByEmail(
  ctx: AppContext,
  email: string,
): Promise<Person | undefined> {
  const user = await findActiveUser(ctx, email.trim());
  return user ? { id: user.id, name: user.name, email: user.email } : undefined;
}

/** Display names by id (deactivated users keep their names in history). */
export function namesByIds(ctx: AppContext, ids: number[]): Promise<Map<number, string>> {
  return namesOf(ctx.db, ids);
}
