import type { Database, Tx } from "../db/client.js";
import { allNonZeroPairs } from "../db/repos/balances.js";
import { writeOutbox } from "../db/repos/outbox.js";
import { namesOf } from "../db/repos/users.js";
import { inTransaction } from "../db/transaction.js";
import { todayIn } from "../domain/dates.js";
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
 * Writes one weekly-summary message for every user with a non-zero balance. The dedupe key names
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
  const pairs = await allNonZeroPairs(tx);
  const perUser = new Map<number, { userId: number; amount: number }[]>();
  for (const p of pairs) {
    // aOwesB > 0: B is owed by A.
    perUser.set(p.userA, [...(perUser.get(p.userA) ?? []), { userId: p.userB, amount: -p.aOwesB }]);
    perUser.set(p.userB, [...(perUser.get(p.userB) ?? []), { userId: p.userA, amount: p.aOwesB }]);
  }
  const names = await namesOf(tx, [...perUser.keys()]);
  const messages: NotificationMessage[] = [...perUser.entries()].map(([userId, rows]) => ({
    v: MESSAGE_VERSION,
    kind: "weekly.summary",
    dedupeKey: weeklyDedupeKey(week, userId),
    recipientId: userId,
    payload: {
      week,
      balances: rows
        .sort((a, b) => a.userId - b.userId)
        .map((r) => ({ ...r, name: names.get(r.userId) ?? `user ${r.userId}` })),
      net: rows.reduce((s, r) => s + r.amount, 0),
    },
  }));
  const written = await writeOutbox(tx, messages);
  return { week, users: messages.length, written };
}

export const weeklyDedupeKey = (week: string, userId: number) =>
  dedupeKey(`weekly:${week}`, userId);
