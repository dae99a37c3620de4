import { sql } from "drizzle-orm";
import { named, param } from "../named.js";
import { activity, activitySubjects } from "../schema.js";
import type { Executor } from "../types.js";
import type { NewActivity } from "./activity.js";
import { type OutboxMessage, outboxInsert } from "./outbox.js";

/**
 * A change's activity entry (with its subjects) and its notifications in ONE statement: the hot
 * write paths (adding, editing, deleting an expense; recording a payment) end with both, and each
 * round trip costs the web process about as much CPU as building the request's answer. Same rows
 * as writeActivity + writeOutbox: a dedupe key already there is skipped.
 */
export async function writeActivityAndOutbox(
  db: Executor,
  a: NewActivity,
  messages: OutboxMessage[],
): Promise<void> {
  await insertBoth.run(db, {
    kind: a.kind,
    actor: a.actor,
    expense: a.expenseId ?? null,
    settlement: a.settlementId ?? null,
    group: a.groupId ?? null,
    changes: a.changes ? JSON.stringify(a.changes) : null,
    subjects: [...new Set([a.actor, ...a.subjects])],
    // One JSON array, as writeOutbox sends it (pg escapes array elements in JavaScript).
    messages: JSON.stringify(messages),
  });
}

// The outbox insert is outbox.ts's own text.
const insertBoth = named<{
  kind: string;
  actor: number;
  expense: number | null;
  settlement: number | null;
  group: number | null;
  changes: string | null;
  subjects: number[];
  messages: string;
}>(
  "activity_and_outbox_write",
  sql`with entry as (
      insert into ${activity} (kind, actor, expense_id, settlement_id, group_id, changes)
      values (${param("kind")}, ${param("actor")}::int, ${param("expense")}::int,
              ${param("settlement")}::int, ${param("group")}::int, ${param("changes")}::jsonb)
      returning id
    ), subjects as (
      insert into ${activitySubjects} (user_id, activity_id)
      select u, entry.id from entry cross join unnest(${param("subjects")}::int[]) as v(u)
    )
    ${outboxInsert}`,
);
