import type { Database, Tx } from "../db/client.js";
import { allNonZeroPairs } from "../db/repos/balances.js";
import { allGroupNonZeroPairs } from "../db/repos/group-balances.js";
import { groupNamesOf } from "../db/repos/groups.js";
import { writeOutbox } from "../db/repos/outbox.js";
import { namesOf } from "../db/repos/users.js";
import { inTransaction } from "../db/transaction.js";
import { todayIn } from "../domain/dates.js";
import type { PairDelta } from "../domain/debts.js";
import { dedupeKey, MESSAGE_VERSION, type NotificationMessage } from "./message.js";

/** ISO 8601 week of a calendar date, e.g. 2026-11-25 → "2026-W48". */
export function isoWeek(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  const day = t.getUTCDay() || 7; // Monday = 1 … Sunday = 7
  t.setUTCDate(t.getUTCDate() + 4 - day); // the Thursday of this week decides the year
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/**
 * Writes one weekly-summary message for every user with a non-zero balance (overall or in a
 * group), each group's balances listed apart, then those outside groups, then the overall net. The dedupe key names
 * the ISO week, so running the job twice in a week adds nothing. Returns how many were new.
 */
export async function enqueueWeeklySummaries(
  db: Database,
  opts: { timeZone: string; now?: Date },
): Promise<{ week: string; users: number; written: number }> {
  return inTransaction(db, (tx) => writeWeeklySummaries(tx, opts));
}

/** The same, inside the caller's transaction (the weekly Lambda sends before it commits). */
export async function writeWeeklySummaries(
  tx: Tx,
  opts: { timeZone: string; now?: Date },
): Promise<{ week: string; users: number; written: number }> {
  const week = isoWeek(todayIn(opts.timeZone, opts.now));
  const overall = byUser(await allNonZeroPairs(tx));
  const groupPairs = await allGroupNonZeroPairs(tx);
  const inGroups = new Map<number, Map<number, Row[]>>(); // user → group → rows
  const perGroup = new Map<number, PairDelta[]>();
  for (const p of groupPairs) perGroup.set(p.groupId, [...(perGroup.get(p.groupId) ?? []), p]);
  for (const [groupId, pairs] of perGroup)
    for (const [userId, rows] of byUser(pairs)) {
      const mine = inGroups.get(userId) ?? new Map<number, Row[]>();
      inGroups.set(userId, mine.set(groupId, rows));
    }
  const recipients = [...new Set([...overall.keys(), ...inGroups.keys()])].sort((a, b) => a - b);
  const names = await namesOf(tx, recipients);
  const groupNames = await groupNamesOf(
    tx,
    groupPairs.map((p) => p.groupId),
  );
  const named = (rows: Row[]) =>
    rows
      .sort((a, b) => a.userId - b.userId)
      .map((r) => ({ ...r, name: names.get(r.userId) ?? `user ${r.userId}` }));
  const sum = (rows: Row[]) => rows.reduce((s, r) => s + r.amount, 0);
  const messages: NotificationMessage[] = recipients.map((userId) => {
    const rows = overall.get(userId) ?? [];
    const groups = [...(inGroups.get(userId) ?? new Map<number, Row[]>())]
      .sort(([a], [b]) => a - b)
      .map(([groupId, g]) => ({
        groupId,
        name: groupNames.get(groupId) ?? `group ${groupId}`,
        balances: named(g),
        net: sum(g),
      }));
    // Outside groups: the overall balance with each person minus their balances in the groups.
    const rest = new Map(rows.map((r) => [r.userId, r.amount]));
    for (const g of groups)
      for (const r of g.balances) rest.set(r.userId, (rest.get(r.userId) ?? 0) - r.amount);
    const nonGroup = [...rest]
      .filter(([, amount]) => amount !== 0)
      .map(([other, amount]) => ({ userId: other, amount }));
    return {
      v: MESSAGE_VERSION,
      kind: "weekly.summary",
      dedupeKey: weeklyDedupeKey(week, userId),
      recipientId: userId,
      payload: { week, balances: named(rows), net: sum(rows), groups, nonGroup: named(nonGroup) },
    };
  });
  const written = await writeOutbox(tx, messages);
  return { week, users: messages.length, written };
}

interface Row {
  userId: number;
  /** Positive: they owe the user; negative: the user owes them. */
  amount: number;
}

/** Pair rows as each user's rows with the others. */
function byUser(pairs: PairDelta[]): Map<number, Row[]> {
  const perUser = new Map<number, Row[]>();
  for (const p of pairs) {
    // aOwesB > 0: B is owed by A.
    perUser.set(p.userA, [...(perUser.get(p.userA) ?? []), { userId: p.userB, amount: -p.aOwesB }]);
    perUser.set(p.userB, [...(perUser.get(p.userB) ?? []), { userId: p.userA, amount: p.aOwesB }]);
  }
  return perUser;
}

export const weeklyDedupeKey = (week: string, userId: number) =>
  dedupeKey(`weekly:${week}`, userId);
