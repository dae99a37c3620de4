import type PgBoss from "pg-boss";
import { DEAD_LETTER_QUEUE, NOTIFY_QUEUE } from "./pgboss.js";

export interface DeadLetter {
  id: string;
  dedupeKey: string;
  kind: string;
  recipientId: number;
  createdOn: Date;
}

/** Notifications that failed every attempt and wait in the dead-letter queue. */
export async function listDeadLetters(boss: PgBoss, limit = 1000): Promise<DeadLetter[]> {
  const { rows } = await boss
    .getDb()
    .executeSql(
      `select id, data, created_on from pgboss.job where name = $1 and state = 'created' order by created_on limit $2`,
      [DEAD_LETTER_QUEUE, limit],
    );
  return rows.map((r) => ({
    id: r.id,
    dedupeKey: r.data?.dedupeKey,
    kind: r.data?.kind,
    recipientId: r.data?.recipientId,
    createdOn: r.created_on,
  }));
}

/**
 * Puts dead letters back on the notification queue (fresh retry budget) and removes them from the
 * dead-letter queue. Safe to repeat: delivery is deduplicated by each message's key.
 */
export async function retryDeadLetters(boss: PgBoss, limit = 1000): Promise<number> {
  const jobs = await boss.fetch<object>(DEAD_LETTER_QUEUE, { batchSize: limit });
  for (const job of jobs) {
    await boss.send(NOTIFY_QUEUE, job.data);
    await boss.complete(DEAD_LETTER_QUEUE, job.id);
  }
  return jobs.length;
}
