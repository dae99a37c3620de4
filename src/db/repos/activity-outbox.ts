import { sql } from "drizzle-orm";
import { named } from "../named.js";
import type { Executor } from "../types.js";
import {
  type ActivityValues,
  activityInsert,
  activityValues,
  type NewActivity,
} from "./activity.js";
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
  // One JSON array, as writeOutbox sends it (pg escapes array elements in JavaScript).
  await insertBoth.run(db, { ...activityValues(a), messages: JSON.stringify(messages) });
}

// The activity insert and the outbox insert are activity.ts's and outbox.ts's own texts.
const insertBoth = named<ActivityValues & { messages: string }>(
  "activity_and_outbox_write",
  sql`with entry as (${activityInsert.entry}), subjects as (${activityInsert.subjects})
    ${outboxInsert}`,
);
