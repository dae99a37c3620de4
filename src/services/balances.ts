import { componentPairsOf, nonZeroPairsOf } from "../db/repos/balances.js";
import { findUser } from "../db/repos/users.js";
import { netPositions } from "../domain/balances.js";
import type { PairDelta } from "../domain/debts.js";
import { NotFound } from "../domain/errors.js";
import { simplifyDebts } from "../domain/simplify.js";
import { assertSelf } from "./access.js";
import type { AppContext } from "./context.js";

export interface UserBalances {
  userId: number;
  /** Whom the user owes, in paise. */
  owes: { userId: number; amount: number }[];
  /** Who owes the user, in paise. */
  owedBy: { userId: number; amount: number }[];
  /** Owed to the user minus owed by the user. */
  net: number;
}

function fromPairs(userId: number, pairs: PairDelta[]): UserBalances {
  const owes: UserBalances["owes"] = [];
  const owedBy: UserBalances["owedBy"] = [];
  for (const p of pairs) {
    // Positive `owed` means the user owes the other person.
    const [other, owed] = p.userA === userId ? [p.userB, p.aOwesB] : [p.userA, -p.aOwesB];
    if (owed > 0) owes.push({ userId: other, amount: owed });
    else if (owed < 0) owedBy.push({ userId: other, amount: -owed });
  }
  owes.sort((a, b) => a.userId - b.userId);
  owedBy.sort((a, b) => a.userId - b.userId);
  const net = owedBy.reduce((s, x) => s + x.amount, 0) - owes.reduce((s, x) => s + x.amount, 0);
  return { userId, owes, owedBy, net };
}

/**
 * The user's balances. With `simplify`, the same net position settled with the fewest transfers
 * over the user's connected component of debts; only the user's own transfers are returned.
 */
export async function getBalances(
  ctx: AppContext,
  userId: number,
  opts: { simplify: boolean },
  actor: number,
): Promise<UserBalances> {
  assertSelf(actor, userId);
  if (!(await findUser(ctx.db, userId))) throw new NotFound("user", userId);
  if (!opts.simplify) return fromPairs(userId, await nonZeroPairsOf(ctx.db, userId));
  const pairs = await componentPairsOf(ctx.db, userId);
  const transfers = simplifyDebts(netPositions(pairs));
  const mine: PairDelta[] = transfers
    .filter((t) => t.from === userId || t.to === userId)
    .map((t) =>
      t.from < t.to
        ? { userA: t.from, userB: t.to, aOwesB: t.amount }
        : { userA: t.to, userB: t.from, aOwesB: -t.amount },
    );
  return fromPairs(userId, mine);
}
