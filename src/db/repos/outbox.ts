import { and, eq, inArray, isNull, like, sql } from "drizzle-orm";
import { named, param } from "../named.js";
import type { RawExec } from "../raw.js";
import { outbox } from "../schema.js";
import type { Executor } from "../types.js";

// Every statement on the outbox: writing messages, and publishing them (the relay on a raw
// connection it shares with pg-boss, the weekly Lambda on its drizzle transaction).

/** What the outbox needs of a message; the whole message is stored as its payload. */
export interface OutboxMessage {
  dedupeKey: string;
  kind: string;
  recipientId: number;
}

/** An unpublished row, locked by the caller's transaction; `payload` is the message as written. */
export interface PendingRow {
  id: number;
  payload: unknown;
}

/**
 * Writes notifications in the caller's transaction, one multi-row statement. A dedupe key that is
 * already there is skipped, so re-running an event (e.g. the weekly job twice) adds nothing.
 * Returns how many rows were new.
 */
export async function writeOutbox<M extends OutboxMessage>(
  db: Executor,
  messages: M[],
): Promise<number> {
  if (messages.length === 0) return 0;
  // One JSON array, not four parallel text arrays: pg escapes every element of an array
  // parameter in JavaScript, which for a 1000-person expense cost more than the insert.
  const rows = await insertOutbox.run(db, { messages: JSON.stringify(messages) });
  return rows.length;
}

/**
 * The outbox insert, written once for outbox_write and activity_and_outbox_write: any number of
 * messages from the parameter `messages`, one JSON array whose elements are the whole messages
 * (the payloads), in their order; a dedupe key already there is skipped.
 */
export const outboxInsert = sql`insert into ${outbox} (dedupe_key, kind, recipient_id, payload)
    select m->>'dedupeKey', m->>'kind', (m->>'recipientId')::int, m
    from jsonb_array_elements(${param("messages")}::jsonb) with ordinality as e(m, n)
    order by n
    on conflict (dedupe_key) do nothing`;

const insertOutbox = named<{ messages: string }>("outbox_write", sql`${outboxInsert} returning id`);

export async function countOutbox(db: Executor): Promise<{ total: number; unpublished: number }> {
  const r = (await db.execute(
    sql`select count(*)::int as total, count(*) filter (where published_at is null)::int as unpublished from outbox`,
  )) as unknown as { rows: { total: number; unpublished: number }[] };
  return r.rows[0] ?? { total: 0, unpublished: 0 };
}

/**
 * The oldest unpublished rows, locked with SKIP LOCKED so several relays never take the same row
 * (nor one the weekly Lambda holds).
 */
export async function lockPendingBatch(exec: RawExec, limit: number): Promise<PendingRow[]> {
  const { rows } = await exec(
    `select id, payload from outbox where published_at is null order by id limit $1 for update skip locked`,
    [limit],
  );
  return rows.map((r) => ({ id: Number(r.id), payload: r.payload }));
}

/** Marks rows published on the relay's raw transaction. */
export async function markPublishedRaw(exec: RawExec, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await exec(`update outbox set published_at = now() where id = any($1::bigint[])`, [ids]);
}

/** One ISO week's unpublished weekly summaries, locked (SKIP LOCKED) until the caller commits. */
export async function lockPendingWeekly(tx: Executor, week: string): Promise<PendingRow[]> {
  return tx
    .select({ id: outbox.id, payload: outbox.payload })
    .from(outbox)
    .where(
      and(
        isNull(outbox.publishedAt),
        eq(outbox.kind, "weekly.summary"),
        like(outbox.dedupeKey, `weekly:${week}:%`),
      ),
    )
    .orderBy(outbox.id)
    .for("update", { skipLocked: true });
}

/** Marks rows published in the caller's transaction. */
export async function markPublished(tx: Executor, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.update(outbox).set({ publishedAt: sql`now()` }).where(inArray(outbox.id, ids));
}
