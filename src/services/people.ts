import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { namesOf } from "../db/repos/users.js";
import { pairBalances, users } from "../db/schema.js";
import type { AppContext } from "./context.js";

export interface Person {
  id: number;
  name: string;
  email: string;
}

/**
 * Active people the user has ever shared an expense or settlement with: a pair row exists once
 * money moved between two people, and stays (at zero) after they settle. One statement.
 */
export async function peopleOf(ctx: AppContext, userId: number): Promise<Person[]> {
  const other = sql`case when ${pairBalances.userA} = ${userId} then ${pairBalances.userB} else ${pairBalances.userA} end`;
  return ctx.db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(pairBalances)
    .innerJoin(users, eq(users.id, other))
    .where(
      and(
        or(eq(pairBalances.userA, userId), eq(pairBalances.userB, userId)),
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
  const [row] = await ctx.db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(
      and(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`, isNull(users.deactivatedAt)),
    );
  return row;
}

/** Display names by id (deactivated users keep their names in history). */
export function namesByIds(ctx: AppContext, ids: number[]): Promise<Map<number, string>> {
  return namesOf(ctx.db, ids);
}
