import type { Executor } from "../db/client.js";
import { allNonZeroPairs } from "../db/repos/balances.js";
import { allGroupNonZeroPairs } from "../db/repos/group-balances.js";
import { allLiveExpenses } from "../db/repos/ledger-scan.js";
import { allSettlements } from "../db/repos/settlements.js";
import { netPositions } from "../domain/balances.js";
import { expenseDeltas, mergeDeltas, type PairDelta, settlementDeltas } from "../domain/debts.js";
import { RuleViolation } from "../domain/errors.js";
import { formatPaise } from "../domain/money.js";

export interface LedgerReport {
  ok: boolean;
  expensesChecked: number;
  settlementsChecked: number;
  pairsChecked: number;
  /** Σ over pairs must be zero by construction; reported for the record. */
  netSum: number;
  /**
   * Expenses whose shares or payments do not add up to their amount (or are otherwise invalid).
   * One whose payments do not match its shares adds nothing to the expected balances, so the
   * pairs it touches may show as drift too.
   */
  badExpenses: { id: number; amount: number; sharesSum: number; paidSum: number; reason: string }[];
  /**
   * Pairs whose stored balance differs from what the ledger implies: overall (pair_balances), or
   * within a group (`groupId`: group_pair_balances, from that group's own ledger).
   */
  drift: { userA: number; userB: number; stored: number; expected: number; groupId?: number }[];
}

const key = (a: number, b: number) => `${a}:${b}`;

/** The differences between the expected and the stored pairs. */
function driftOf(expected: PairDelta[], stored: PairDelta[]): LedgerReport["drift"] {
  const expectedMap = new Map(expected.map((d) => [key(d.userA, d.userB), d.aOwesB]));
  const storedMap = new Map(stored.map((d) => [key(d.userA, d.userB), d.aOwesB]));
  const drift: LedgerReport["drift"] = [];
  for (const k of new Set([...expectedMap.keys(), ...storedMap.keys()])) {
    const e = expectedMap.get(k) ?? 0;
    const s = storedMap.get(k) ?? 0;
    if (e !== s) {
      const [a, b] = k.split(":").map(Number) as [number, number];
      drift.push({ userA: a, userB: b, stored: s, expected: e });
    }
  }
  return drift;
}

/** Each group's drift: its stored pairs against the deltas of its own expenses and settlements. */
function groupDrift(
  tagged: { groupId: number | null; deltas: PairDelta[] }[],
  stored: (PairDelta & { groupId: number })[],
): LedgerReport["drift"] {
  const groupIds = new Set<number>(stored.map((p) => p.groupId));
  for (const t of tagged) if (t.groupId !== null) groupIds.add(t.groupId);
  return [...groupIds].flatMap((g) =>
    driftOf(
      mergeDeltas(...tagged.filter((t) => t.groupId === g).map((t) => t.deltas)),
      stored.filter((p) => p.groupId === g),
    ).map((d) => ({ ...d, groupId: g })),
  );
}

/**
 * Recomputes every pairwise balance from the ledger (live expenses and settlements) with the same
 * domain rules that wrote them, and compares with the stored balances.
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
    if (sharesSum !== e.amount || paidSum !== e.amount)
      reason =
        `shares add up to ${formatPaise(sharesSum)} and payments to ${formatPaise(paidSum)}, ` +
        `not the amount ${formatPaise(e.amount)}`;
    let deltas: PairDelta[] = [];
    try {
      deltas = expenseDeltas(e.payers, e.shares);
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
    const deltas = settlementDeltas(s.fromUser, s.toUser, s.amount);
    deltaLists.push(deltas);
    tagged.push({ groupId: s.groupId, deltas });
  }
  const drift = [
    ...driftOf(mergeDeltas(...deltaLists), stored),
    ...groupDrift(tagged, storedInGroups),
  ];
  // One row per pair makes the nets sum to zero by construction; checked anyway so that a change
  // of representation (or of netPositions) that breaks conservation cannot go unnoticed.
  const netSum = netPositions(stored).reduce((s, n) => s + n.net, 0);
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
