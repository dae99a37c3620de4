import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { accountLinks } from "../schema.js";
import type { Executor } from "../types.js";

export type LinkPurpose = "claim" | "reset";

export async function insertAccountLink(
  db: Executor,
  l: { userId: number; purpose: LinkPurpose; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(accountLinks).values(l);
}

/**
 * Marks the link used and returns its user, atomically: of two concurrent uses of one link,
 * exactly one gets the user.
 */
export async function consumeAccountLink(
  db: Executor,
  purpose: LinkPurpose,
  tokenHash: string,
): Promise<number | undefined> {
  const [row] = await db
    .update(accountLinks)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(accountLinks.tokenHash, tokenHash),
        eq(accountLinks.purpose, purpose),
        isNull(accountLinks.usedAt),
        gt(accountLinks.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: accountLinks.userId });
  return row?.userId;
}

/** The user a live link belongs to, without using it (to show the claim form). */
export async function peekAccountLink(
  db: Executor,
  purpose: LinkPurpose,
  tokenHash: string,
): Promise<number | undefined> {
  const [row] = await db
    .select({ userId: accountLinks.userId })
    .from(accountLinks)
    .where(
      and(
        eq(accountLinks.tokenHash, tokenHash),
        eq(accountLinks.purpose, purpose),
        isNull(accountLinks.usedAt),
        gt(accountLinks.expiresAt, sql`now()`),
      ),
    );
  return row?.userId;
}

/** Why a link cannot be used: never issued (or another purpose's), or issued but used or expired. */
export async function deadAccountLinkState(
  db: Executor,
  purpose: LinkPurpose,
  tokenHash: string,
): Promise<"unknown" | "gone"> {
  const [row] = await db
    .select({ id: accountLinks.id })
    .from(accountLinks)
    .where(and(eq(accountLinks.tokenHash, tokenHash), eq(accountLinks.purpose, purpose)));
  return row ? "gone" : "unknown";
}
