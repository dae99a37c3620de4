import type { ActivityRow } from "../db/repos/activity.js";
import { type FeedExpense, type FeedSettlement, feedLookups } from "../db/repos/activity-facts.js";
import { isMember, memberGroupIds } from "../db/repos/groups.js";
import { findSettlement, type SettlementRow } from "../db/repos/settlements.js";
import type { FieldChanges } from "../domain/activity.js";
import { canChangeExpense } from "./access.js";
import type { AppContext } from "./context.js";

/**
 * What the activity pages need to tell an entry as a sentence: the expenses and settlements it
 * names (deleted ones too, as they stand now), the groups' names, and the names of the people the
 * viewer knows (anyone else stays unnamed). The entries are already scoped to the viewer.
 */
export interface FeedFacts {
  expenses: Map<number, FeedExpense>;
  settlements: Map<number, FeedSettlement>;
  groups: Map<number, string>;
  names: Map<number, string>;
  /** Deleted expenses and settlements the viewer may restore (by id). */
  restorableExpenses: Set<number>;
  restorableSettlements: Set<number>;
}

/** One statement for a whole page of entries, whatever their number (activity-facts.ts). */
export async function feedFacts(
  ctx: AppContext,
  rows: ActivityRow[],
  viewer: number,
): Promise<FeedFacts> {
  const ids = (pick: (a: ActivityRow) => number | null) =>
    [...new Set(rows.map(pick))].filter((x): x is number => x !== null);
  const found = await feedLookups(ctx.db, viewer, {
    expenses: ids((a) => a.expenseId),
    settlements: ids((a) => a.settlementId),
    groups: ids((a) => a.groupId),
    // The settlements' parties are added by the statement.
    people: [...new Set(rows.flatMap((a) => [a.actor, ...memberIdsOf(a)]))],
  });
  const expenses = new Map(found.expenses.map((e) => [e.id, e]));
  const settlements = new Map(found.settlements.map((s) => [s.id, s]));
  const groups = new Map(found.groups.map((g) => [g.id, g.name]));
  const memberOf = new Set(found.groups.filter((g) => g.member).map((g) => g.id));
  const inGroup = (g: number | null) => g !== null && memberOf.has(g);
  const restorableExpenses = new Set(
    [...expenses.values()]
      .filter((e) => e.deletedAt !== null && canChangeExpense(e, viewer, inGroup(e.groupId)))
      .map((e) => e.id),
  );
  const restorableSettlements = new Set(
    [...settlements.values()]
      .filter((s) => s.deletedAt !== null && mayChangeSettlement(s, viewer, inGroup(s.groupId)))
      .map((s) => s.id),
  );
  return {
    expenses,
    settlements,
    groups,
    names: found.names,
    restorableExpenses,
    restorableSettlements,
  };
}

/** An entry's `{field: {from, to}}` (empty when it records none). */
export function changesOf(a: ActivityRow): FieldChanges {
  return (a.changes ?? {}) as FieldChanges;
}

/** The member a group.member_added / member_removed entry is about. */
export function memberIdsOf(a: ActivityRow): number[] {
  const m = changesOf(a).member;
  if (!m) return [];
  return [m.from, m.to].filter((x): x is number => typeof x === "number");
}

/** The undo rule (services/undo.ts): either party outside a group; in a group, current members. */
export function mayChangeSettlement(
  s: { fromUser: number; toUser: number; groupId: number | null },
  actor: number,
  groupMember: boolean,
): boolean {
  if (s.groupId !== null) return groupMember;
  return s.fromUser === actor || s.toUser === actor;
}

/** Which of the viewer's settlements they may delete now (the history's Delete buttons). */
export async function changeableSettlements(
  ctx: AppContext,
  rows: SettlementRow[],
  viewer: number,
): Promise<Set<number>> {
  // The viewer's memberships among the page's groups: one statement for the page.
  const groupIds = rows.map((s) => s.groupId).filter((g): g is number => g !== null);
  const member = await memberGroupIds(ctx.db, viewer, groupIds);
  const out = new Set<number>();
  for (const s of rows)
    if (mayChangeSettlement(s, viewer, s.groupId !== null && member.has(s.groupId))) out.add(s.id);
  return out;
}

/** A settlement the viewer may see (deleted too), and whether they may delete or restore it. */
export async function settlementWithAccess(
  ctx: AppContext,
  id: number,
  viewer: number,
): Promise<{ settlement: SettlementRow; canChange: boolean } | undefined> {
  const s = await findSettlement(ctx.db, id, { deleted: true });
  if (!s) return undefined;
  const member = s.groupId !== null && (await isMember(ctx.db, s.groupId, viewer));
  const party = s.fromUser === viewer || s.toUser === viewer;
  if (!party && !member) return undefined;
  return { settlement: s, canChange: mayChangeSettlement(s, viewer, member) };
}
