import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { ACTIVITY_KINDS } from "../../domain/activity.js";
import { expenses, groups, settlements, users } from "./ledger.js";

/**
 * The history: one row per change of an expense, a settlement or a group, written in the same
 * transaction as the change. `changes` is `{field: {from, to}}` (null when nothing is compared).
 */
export const activity = pgTable(
  "activity",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind").notNull(),
    actor: integer("actor")
      .notNull()
      .references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    expenseId: integer("expense_id").references(() => expenses.id),
    settlementId: integer("settlement_id").references(() => settlements.id),
    groupId: integer("group_id").references(() => groups.id),
    changes: jsonb("changes"),
  },
  (t) => [
    // GET /groups/{id}/activity: one index range, newest first.
    index("activity_group_idx").on(t.groupId, t.id),
    check("activity_kind", sql.raw(`kind in (${ACTIVITY_KINDS.map((k) => `'${k}'`).join(", ")})`)),
  ],
);

/**
 * Whom an entry is about (payers, participants, the two parties, the member added or removed,
 * the actor): a fan-out written with one multi-row insert, so "my activity" is one index range
 * per user whatever the number of people (entries of a user's current groups are read by group).
 */
export const activitySubjects = pgTable(
  "activity_subjects",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    activityId: integer("activity_id")
      .notNull()
      .references(() => activity.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.activityId] })],
);
