import type { BalanceEntry, UserBalances } from "../../services/balances.js";
import { formatAmount } from "./format.js";

/**
 * Per-currency lines for the pages. Balances are kept per currency and a page never adds two
 * currencies together: it shows one line per currency, `APP_CURRENCY` first, then by code.
 */

export interface CurrencyAmount {
  currency: string;
  amount: number;
}

/** Sorts by currency: `first` (APP_CURRENCY) before every other, the others by code. */
export const currencyOrder =
  (first: string) =>
  (a: { currency: string }, b: { currency: string }): number =>
    a.currency === b.currency
      ? 0
      : a.currency === first
        ? -1
        : b.currency === first
          ? 1
          : a.currency < b.currency
            ? -1
            : 1;

/** The amounts added up within each currency (never across), in page order. */
export function sumsByCurrency(entries: CurrencyAmount[], first: string): CurrencyAmount[] {
  const sums = new Map<string, number>();
  for (const e of entries) sums.set(e.currency, (sums.get(e.currency) ?? 0) + e.amount);
  return [...sums].map(([currency, amount]) => ({ currency, amount })).sort(currencyOrder(first));
}

/** One currency's balance with one person: "owe" (you owe them) or "owed" (they owe you). */
export interface BalanceLine {
  tone: "owe" | "owed";
  currency: string;
  /** Always positive; `tone` says which way. */
  amount: number;
  amountText: string;
}

/** Every balance with `userId` in `b`, one line per currency, in page order. */
export function balanceLinesWith(b: UserBalances, userId: number, first: string): BalanceLine[] {
  const line = (tone: BalanceLine["tone"]) => (e: BalanceEntry) => ({
    tone,
    currency: e.currency,
    amount: e.amount,
    amountText: formatAmount(e.amount, e.currency),
  });
  return [
    ...b.owes.filter((e) => e.userId === userId).map(line("owe")),
    ...b.owedBy.filter((e) => e.userId === userId).map(line("owed")),
  ].sort(currencyOrder(first));
}

/** The colour of a row with these lines: one direction's, "mixed" for both, "zero" for none. */
export function toneOf(lines: { tone: "owe" | "owed" }[]): "owe" | "owed" | "mixed" | "zero" {
  const tones = new Set(lines.map((l) => l.tone));
  if (tones.size === 0) return "zero";
  if (tones.size > 1) return "mixed";
  return lines[0]?.tone ?? "zero";
}
