import { formatRupees } from "../../domain/amount-text.js";
import type { Paise } from "../../domain/money.js";
import { getBalances } from "../../services/balances.js";
import type { AppContext } from "../../services/context.js";

/**
 * What `me` owes `other` now (negative: `other` owes `me`): the pair's balance, or for someone
 * only the simplified plan names, the plan's transfer (as the settle page's hints say).
 */
async function owedTo(ctx: AppContext, me: number, other: number, currency: string) {
  const plain = await getBalances(ctx, me, { simplify: false }, me);
  const has = (b: typeof plain) => [...b.owes, ...b.owedBy].some((x) => x.userId === other);
  const b = has(plain) ? plain : await getBalances(ctx, me, { simplify: true }, me);
  // Only the payment's own currency: a settlement settles that currency alone.
  const mine = (x: { userId: number; currency: string }) =>
    x.userId === other && x.currency === currency;
  const owe = b.owes.find(mine)?.amount ?? 0;
  const owed = b.owedBy.find(mine)?.amount ?? 0;
  return { balance: owe - owed, name: b.names.get(other) ?? "them" };
}

/**
 * A payment larger than what is owed flips who owes whom (as in Splitwise). That is sometimes
 * meant (paying ahead), usually a typo: the page asks first. Null when it does not flip.
 */
export async function overpayWarning(
  ctx: AppContext,
  me: number,
  other: number,
  direction: "paid" | "received",
  amount: Paise,
  currency: string,
  /** Inside a group: what the group's balances ask between you, not the overall balance. */
  inGroup?: { balance: number; name: string },
): Promise<string | null> {
  const { balance, name } = inGroup ?? (await owedTo(ctx, me, other, currency));
  const money = (minor: number) => formatRupees(minor, currency);
  const after = direction === "paid" ? balance - amount : balance + amount;
  const flips = direction === "paid" ? after < 0 : after > 0;
  if (!flips) return null;
  const now =
    balance > 0
      ? `You owe ${name} ${money(balance)}`
      : balance < 0
        ? `${name} owes you ${money(-balance)}`
        : `You and ${name} are square`;
  const then = after < 0 ? `${name} owe you ${money(-after)}` : `you owe ${name} ${money(after)}`;
  const verb = direction === "paid" ? "paying" : "receiving";
  return `${now}; ${verb} ${money(amount)} makes ${then}. Record it anyway?`;
}
