import { sql } from "drizzle-orm";
import type { NotificationMessage } from "../../notifications/message.js";
import { outbox } from "../schema.js";
import type { Executor } from "../types.js";

/**
 * Writes notifications in the caller's transaction, one multi-row statement. A dedupe key that is
 * already there is skipped, so re-running an event (e.g. the weekly job twice) adds nothing.
 * Returns how many rows were new.
 */
export async function writeOutbox(db: Executor, messages: NotificationMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = await db
    .insert(outbox)
    .values(
      messages.map((m) => ({
        dedupeKey: m.dedupeKey,
        kind: m.kind,
        recipientId: m.recipientId,
        payload: m,
      })),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  return rows.length;
}

export async function countOutbox(db: Executor): Promise<{ total: number; unpublished: number }> {
  const r = (await db.execute(
    sql`select count(*)::int as total, count(*) filter (where published_at is null)::int as unpublished from outbox`,
  )) as unknown as { rows: { total: number; unpublished: number }[] };
  return r.rows[0] ?? { total: 0, unpublished: 0 };
}
