import type { Executor } from "../db/client.js";
import { componentPairsOf, pairsWithNamesOf } from "../db/repos/balances.js";
import { findUser, namesOf } from "../db/repos/users.js";
import { amountIn, type CurrencyAmount, netsOf } from "../domain/balances.js";
import type { LedgerDelta } from "../domain/debts.js";
import { NotFound } from "../domain/errors.js";
import { type CurrencyTransfer, simplifyPerCurrency } from "../domain/simplify.js";
import { assertSelf } from "./access.js";
import type { AppContext } from "./context.js";
import { type ConvertedTotal, convertTotals } from "./conversion.js";

/** What one person owes or is owed, in one currency (minor units). */
export interface BalanceEntry {
  userId: number;
  currency: string;
  amount: number;
}

export interface UserBalances {
  userId: number;
  /** Whom the user owes, by (person, currency); currencies are never added together. */
  owes: BalanceEntry[];
  /** Who owes the user, by (person, currency). */
  owedBy: BalanceEntry[];
  /** Owed to the user minus owed by the user, in APP_CURRENCY (`currency`). */
  net: number;
  /** The currency of `net`: APP_CURRENCY. */
  currency: string;
  /** The net in every currency where it is not zero, by currency code. */
  nets: CurrencyAmount[];
  /** Names of the people above (names only: a simplified plan may name strangers). */
  names: Map<number, string>;
  /** With `convertTo`: `nets` summed into that currency, for viewing (never booked). */
  converted?: ConvertedTotal;
}

const byPersonAndCurrency = (a: BalanceEntry, b: BalanceEntry) =>
  a.userId - b.userId || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0);

function fromPairs(userId: number, pairs: LedgerDelta[], appCurrency: string): UserBalances {
  const owes: BalanceEntry[] = [];
  const owedBy: BalanceEntry[] = [];
  for (const p of pairs) {
    // Positive `owed` means the user owes the other person.
    const [other, owed] = p.userA === userId ? [p.userB, p.aOwesB] : [p.userA, -p.aOwesB];
    if (owed > 0) owes.push({ userId: other, currency: p.currency, amount: owed });
    else if (owed < 0) owedBy.push({ userId: other, currency: p.currency, amount: -owed });
  }
  owes.sort(byPersonAndCurrency);
  owedBy.sort(byPersonAndCurrency);
  const nets = netsOf(userId, pairs);
  return {
    userId,
    owes,
    owedBy,
    net: amountIn(nets, appCurrency),
    currency: appCurrency,
    nets,
    names: new Map(),
  };
}

/**
 * The user's part of the fewest-transfer plan over their connected component of debts, per
 * currency: the transfers the plan asks them to make or to receive (the same nets).
 */
export async function planOf(db: Executor, userId: number): Promise<CurrencyTransfer[]> {
  const transfers = simplifyPerCurrency(await componentPairsOf(db, userId));
  return transfers.filter((t) => t.from === userId || t.to === userId);
}

/**
 * The user's balances, with the other people's names, per currency. With `simplify`, the user's
 * transfers in the fewest-transfer plan (per currency): it may name people the user does not
 * know yet (name only), so they can be paid. With `convertTo`, also their nets summed into that
 * currency at the newest stored rates (at most one more statement; MissingRates, 422, names
 * each currency without a rate).
 */
export async function getBalances(
  ctx: AppContext,
  userId: number,
  opts: { simplify: boolean; convertTo?: string | undefined },
  actor: number,
): Promise<UserBalances> {
  const b = await readBalances(ctx, userId, opts.simplify, actor);
  // The plan keeps every net, so the converted net is the same with or without `simplify`.
  if (opts.convertTo !== undefined)
    b.converted = await convertTotals(ctx.db, b.nets, opts.convertTo);
  return b;
}

async function readBalances(
  ctx: AppContext,
  userId: number,
  simplify: boolean,
  actor: number,
): Promise<UserBalances> {
  assertSelf(actor, userId);
  const appCurrency = ctx.config.APP_CURRENCY;
  if (!simplify) {
    const found = await pairsWithNamesOf(ctx.db, userId);
    if (!found) throw new NotFound("user", userId);
    return { ...fromPairs(userId, found.pairs, appCurrency), names: found.names };
  }
  if (!(await findUser(ctx.db, userId))) throw new NotFound("user", userId);
  const pairs = (await planOf(ctx.db, userId)).map(
    (t): LedgerDelta =>
      t.from < t.to
        ? { userA: t.from, userB: t.to, currency: t.currency, aOwesB: t.amount }
        : { userA: t.to, userB: t.from, currency: t.currency, aOwesB: -t.amount },
  );
  const b = fromPairs(userId, pairs, appCurrency);
  b.names = await namesOf(
    ctx.db,
    [...b.owes, ...b.owedBy].map((x) => x.userId),
  );
  return b;
}
