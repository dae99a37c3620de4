import type { Executor } from "../db/client.js";
import { allNonZeroPairs } from "../db/repos/balances.js";
import { allGroupNonZeroPairs } from "../db/repos/group-balances.js";
import { allLiveExpenses } from "../db/repos/ledger-scan.js";
import { allSettlements } from "../db/repos/settlements.js";
import { byCurrency, netPositions } from "../domain/balances.js";
import { formatMinor } from "../domain/currency.js";
import {
  expenseDeltas,
  inCurrency,
  type LedgerDelta,
  mergeLedgerDeltas,
  settlementDeltas,
} from "../domain/debts.js";
import { RuleViolation } from "../domain/errors.js";

export interface LedgerReport {
  ok: boolean;
  expensesChecked: number;
  settlementsChecked: number;
  pairsChecked: number;
  /**
   * Σ over pairs must be zero by construction, in each currency; reported for the record: the
   * sum of the absolute per-currency sums (0 when every currency sums to zero).
   */
  netSum: number;
  /**
   * Expenses whose shares or payments do not add up to their amount (or are otherwise invalid).
   * One whose payments do not match its shares adds nothing to the expected balances, so the
   * pairs it touches may show as drift too.
   */
  badExpenses: { id: number; amount: number; sharesSum: number; paidSum: number; reason: string }[];
  /**
   * Pairs whose stored balance in a currency differs from what the ledger implies: overall
   * (pair_balances), or within a group (`groupId`: group_pair_balances, from that group's own
   * ledger).
   */
  drift: {
    userA: number;
    userB: number;
    currency: string;
    stored: number;
    expected: number;
    groupId?: number;
  }[];
}

const key = (d: LedgerDelta) => `${d.userA}:${d.userB}:${d.currency}`;

/** The differences between the expected and the stored pairs, per pair and currency. */
function driftOf(expected: LedgerDelta[], stored: LedgerDelta[]): LedgerReport["drift"] {
  const rows = new Map<string, { d: LedgerDelta; expected: number; stored: number }>();
  for (const d of expected) rows.set(key(d), { d, expected: d.aOwesB, stored: 0 });
  for (const d of stored) {
    const row = rows.get(key(d)) ?? { d, expected: 0, stored: 0 };
    rows.set(key(d), { ...row, stored: d.aOwesB });
  }
  return [...rows.values()]
    .filter((r) => r.expected !== r.stored)
    .map(({ d, expected: e, stored: s }) => ({
      userA: d.userA,
      userB: d.userB,
      currency: d.currency,
      stored: s,
      expected: e,
    }));
}

/** Each group's drift: its stored pairs against the deltas of its own expenses and settlements. */
function groupDrift(
  tagged: { groupId: number | null; deltas: LedgerDelta[] }[],
  stored: (LedgerDelta & { groupId: number })[],
): LedgerReport["drift"] {
  const groupIds = new Set<number>(stored.map((p) => p.groupId));
  for (const t of tagged) if (t.groupId !== null) groupIds.add(t.groupId);
  return [...groupIds].flatMap((g) =>
    driftOf(
      mergeLedgerDeltas(...tagged.filter((t) => t.groupId === g).map((t) => t.deltas)),
      stored.filter((p) => p.groupId === g),
    ).map((d) => ({ ...d, groupId: g })),
  );
}

/** An amount for a report: in its currency's digits, or as it is when the currency is unknown. */
function safeFormat(minor: number, currency: string): string {
  try {
    return `${formatMinor(minor, currency)} ${currency}`;
  } catch {
    return `${minor} minor units of ${currency}`;
  }
}

/**
 * Recomputes every pairwise balance, per currency, from the ledger (live expenses and
 * settlements, each in its own currency) with the same domain rules that wrote them, and compares
 * with the stored balances.
 */
export async function verifyLedger(db: Executor): Promise<LedgerReport> {
  const expenses = await allLiveExpenses(db);
  const settlements = await allSettlements(db);
  const stored = await allNonZeroPairs(db);
  const storedInGroups = await allGroupNonZeroPairs(db);
  const badExpenses: LedgerReport["badExpenses"] = [];
  const deltaLists = expenses.map((e) => {
    const sharesSum = e.shares.reduce((s, x) => s + x.amount, 0);
    const paidSum = e.payers.reduce((s, x) => s + x.amount, 0);
    let reason: string | undefined;
    const money = (v: number) => safeFormat(v, e.currency);
    if (sharesSum !== e.amount || paidSum !== e.amount)
      reason =
        `shares add up to ${money(sharesSum)} and payments to ${money(paidSum)}, ` +
        `not the amount ${money(e.amount)}`;
    let deltas: LedgerDelta[] = [];
    try {
      deltas = inCurrency(expenseDeltas(e.payers, e.shares), e.currency);
    } catch (err) {
      // Payments that do not match the shares (or a corrupt row) cannot be turned into balances:
      // reported, and the check goes on with the rest of the ledger.
      if (!(err instanceof RuleViolation || err instanceof RangeError)) throw err;
      const issues = err instanceof RuleViolation ? err.issues.map((i) => i.message) : [];
      reason ??= [err.message, ...issues].join(": ");
    }
    if (reason) badExpenses.push({ id: e.id, amount: e.amount, sharesSum, paidSum, reason });
    return deltas;
  });
  const tagged = expenses.map((e, i) => ({ groupId: e.groupId, deltas: deltaLists[i] ?? [] }));
  for (const s of settlements) {
    const deltas = inCurrency(settlementDeltas(s.fromUser, s.toUser, s.amount), s.currency);
    deltaLists.push(deltas);
    tagged.push({ groupId: s.groupId, deltas });
  }
  const drift = [
    ...driftOf(mergeLedgerDeltas(...deltaLists), stored),
    ...groupDrift(tagged, storedInGroups),
  ];
  // One row per pair and currency makes each currency's nets sum to zero by construction; checked
  // anyway so that a change of representation that breaks conservation cannot go unnoticed.
  let netSum = 0;
  for (const rows of byCurrency(stored).values())
    netSum += Math.abs(netPositions(rows).reduce((s, n) => s + n.net, 0));
  return {
    ok: drift.length === 0 && badExpenses.length === 0 && netSum === 0,
    expensesChecked: expenses.length,
    settlementsChecked: settlements.length,
    pairsChecked: stored.length,
    netSum,
    badExpenses,
    drift,
  };
}
