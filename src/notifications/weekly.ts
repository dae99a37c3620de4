import type { Database, Tx } from "../db/client.js";
import { allNonZeroPairs } from "../db/repos/balances.js";
import { allGroupNonZeroPairs } from "../db/repos/group-balances.js";
import { groupNamesOf } from "../db/repos/groups.js";
import { writeOutbox } from "../db/repos/outbox.js";
import { namesOf } from "../db/repos/users.js";
import { inTransaction } from "../db/transaction.js";
import { amountIn, type CurrencyAmount } from "../domain/balances.js";
import { todayIn } from "../domain/dates.js";
import type { LedgerDelta } from "../domain/debts.js";
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
 * group), each group's balances listed apart, then those outside groups, then the overall net
 * per currency (each balance in its currency, never added across currencies; `net` is the one
 * in `currency`, APP_CURRENCY). The dedupe key names the ISO week, so running the job twice in a
 * week adds nothing. Returns how many were new.
 */
export async function enqueueWeeklySummaries(
  db: Database,
  opts: WeeklyOptions,
): Promise<{ week: string; users: number; written: number }> {
  return inTransaction(db, (tx) => writeWeeklySummaries(tx, opts));
}

/** The same, inside the caller's transaction (the weekly Lambda sends before it commits). */
export async function writeWeeklySummaries(
  tx: Tx,
  opts: WeeklyOptions,
): Promise<{ week: string; users: number; written: number }> {
  const week = isoWeek(todayIn(opts.timeZone, opts.now));
  const currency = opts.currency ?? "INR";
  const overall = byUser(await allNonZeroPairs(tx));
  const groupPairs = await allGroupNonZeroPairs(tx);
  const inGroups = new Map<number, Map<number, Row[]>>(); // user → group → rows
  const perGroup = new Map<number, LedgerDelta[]>();
  for (const p of groupPairs) {
    const rows = perGroup.get(p.groupId);
    if (rows) rows.push(p);
    else perGroup.set(p.groupId, [p]);
  }
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
      .sort((a, b) => a.userId - b.userId || (a.currency < b.currency ? -1 : 1))
      .map((r) => ({ ...r, name: names.get(r.userId) ?? `user ${r.userId}` }));
  const nets = (rows: Row[]): CurrencyAmount[] => {
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0) + r.amount);
    return [...sums]
      .filter(([, amount]) => amount !== 0)
      .map(([c, amount]) => ({ currency: c, amount }))
      .sort((a, b) => (a.currency < b.currency ? -1 : 1));
  };
  const messages: NotificationMessage[] = recipients.map((userId) => {
    const rows = overall.get(userId) ?? [];
    const groups = [...(inGroups.get(userId) ?? new Map<number, Row[]>())]
      .sort(([a], [b]) => a - b)
      .map(([groupId, g]) => ({
        groupId,
        name: groupNames.get(groupId) ?? `group ${groupId}`,
        balances: named(g),
        net: amountIn(nets(g), currency),
        nets: nets(g),
      }));
    // Outside groups: the overall balance with each person minus their balances in the groups,
    // per currency.
    const key = (r: Row) => `${r.userId}:${r.currency}`;
    const rest = new Map(rows.map((r) => [key(r), { ...r }]));
    for (const g of groups)
      for (const r of g.balances) {
        const left = rest.get(key(r)) ?? { ...r, amount: 0 };
        rest.set(key(r), { ...left, amount: left.amount - r.amount });
      }
    const nonGroup = [...rest.values()].filter((r) => r.amount !== 0);
    const overallNets = nets(rows);
    return {
      v: MESSAGE_VERSION,
      kind: "weekly.summary",
      dedupeKey: weeklyDedupeKey(week, userId),
      recipientId: userId,
      payload: {
        week,
        balances: named(rows),
        net: amountIn(overallNets, currency),
        currency,
        nets: overallNets,
        groups,
        nonGroup: named(nonGroup),
      },
    };
  });
  const written = await writeOutbox(tx, messages);
  return { week, users: messages.length, written };
}

export interface WeeklyOptions {
  timeZone: string;
  now?: Date;
  /** APP_CURRENCY: the currency of each summary's `net` (INR unless said). */
  currency?: string;
}

interface Row {
  userId: number;
  currency: string;
  /** Positive: they owe the user; negative: the user owes them. */
  amount: number;
}

/** Pair rows as each user's rows with the others (one per other person and currency). */
function byUser(pairs: LedgerDelta[]): Map<number, Row[]> {
  const perUser = new Map<number, Row[]>();
  const add = (user: number, row: Row) => {
    const rows = perUser.get(user);
    if (rows) rows.push(row);
    else perUser.set(user, [row]);
  };
  for (const p of pairs) {
    // aOwesB > 0: B is owed by A.
    add(p.userA, { userId: p.userB, currency: p.currency, amount: -p.aOwesB });
    add(p.userB, { userId: p.userA, currency: p.currency, amount: p.aOwesB });
  }
  return perUser;
}

export const weeklyDedupeKey = (week: string, userId: number) =>
  dedupeKey(`weekly:${week}`, userId);
