import type { Executor } from "../db/client.js";
import { componentPairsOf, pairsWithNamesOf } from "../db/repos/balances.js";
import { findUser, namesOf } from "../db/repos/users.js";
import { netPositions } from "../domain/balances.js";
import type { PairDelta } from "../domain/debts.js";
import { NotFound } from "../domain/errors.js";
import { simplifyDebts, type Transfer } from "../domain/simplify.js";
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
  /** Names of the people above (names only: a simplified plan may name strangers). */
  names: Map<number, string>;
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
  return { userId, owes, owedBy, net, names: new Map() };
}

/**
 * The user's part of the fewest-transfer plan over their connected component of debts: the
 * transfers the plan asks them to make or to receive (the same net position).
 */
export async function planOf(db: Executor, userId: number): Promise<Transfer[]> {
  const transfers = simplifyDebts(netPositions(await componentPairsOf(db, userId)));
  return transfers.filter((t) => t.from === userId || t.to === userId);
}

/**
 * The user's balances, with the other people's names. With `simplify`, the user's transfers in
 * the fewest-transfer plan: it may name people the user does not know yet (name only), so they
 * can be paid.
 */
export async function getBalances(
  ctx: AppContext,
  userId: number,
  opts: { simplify: boolean },
  actor: number,
): Promise<UserBalances> {
  assertSelf(actor, userId);
  if (!opts.simplify) {
    const found = await pairsWithNamesOf(ctx.db, userId);
    if (!found) throw new NotFound("user", userId);
    return { ...fromPairs(userId, found.pairs), names: found.names };
  }
  if (!(await findUser(ctx.db, userId))) throw new NotFound("user", userId);
  const pairs = (await planOf(ctx.db, userId)).map((t) =>
    t.from < t.to
      ? { userA: t.from, userB: t.to, aOwesB: t.amount }
      : { userA: t.to, userB: t.from, aOwesB: -t.amount },
  );
  const b = fromPairs(userId, pairs);
  b.names = await namesOf(
    ctx.db,
    [...b.owes, ...b.owedBy].map((x) => x.userId),
  );
  return b;
}
