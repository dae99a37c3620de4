import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { paise } from "./columns.js";
import { groups, users } from "./ledger.js";

/**
 * Group members and per-group balances (the groups table is in ./ledger.ts, next to expenses and
 * settlements which refer to it). Who is (or was) in a group. A removed member keeps the row (removed_at set) so history still
 * names them and they still count as known to their former co-members; adding them back clears it.
 */
export const groupMembers = pgTable(
  "group_members",
  {
    groupId: integer("group_id")
      .notNull()
      .references(() => groups.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    addedBy: integer("added_by").references(() => users.id),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp("removed_at", { withTimezone: true }),
    removedBy: integer("removed_by").references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    // "My groups" and "who shares a group with me" (knows.ts) start from the user.
    index("group_members_user_idx").on(t.userId, t.groupId),
  ],
);

/**
 * Per-group pairwise balances, same convention as pair_balances (user_a < user_b, a_owes_b > 0:
 * A owes B; one row per pair and currency). Why a second table rather than a group_id column in pair_balances: the overall
 * balances stay one row per pair, so GET /users/{id}/balances, the friends list, simplification
 * and verify-ledger read them unchanged and as fast as before; a group expense adds exactly one
 * more sorted multi-row upsert here, in the same transaction (constant statements per request).
 * Invariant: pair_balances = Σ over groups of group_pair_balances + the non-group ledger.
 */
export const groupPairBalances = pgTable(
  "group_pair_balances",
  {
    groupId: integer("group_id")
      .notNull()
      .references(() => groups.id),
    userA: integer("user_a")
      .notNull()
      .references(() => users.id),
    userB: integer("user_b")
      .notNull()
      .references(() => users.id),
    currency: text("currency").notNull().default("INR"),
    aOwesB: paise("a_owes_b_paise").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userA, t.userB, t.currency] }),
    check("group_pair_balances_ordered", sql`${t.userA} < ${t.userB}`),
  ],
);
