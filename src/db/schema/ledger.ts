import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, paise } from "./columns.js";

/** People and the money between them: users, expenses, their payers and shares, settlements, pair balances, friendships. */
export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    /** Null for someone invited by email only (POST /friends): they add it when they claim. */
    mobileNumber: text("mobile_number"),
    /** argon2id PHC string; null for an invited user who has not claimed the account yet. */
    passwordHash: text("password_hash"),
    // biome-ignore lint/suspicious/noExplicitAny: self-reference needs the explicit type
    invitedBy: integer("invited_by").references((): any => users.id),
    /** Email preferences: per-expense mails and the weekly summary (both non-essential). */
    notifyExpenses: boolean("notify_expenses").notNull().default(true),
    notifyWeekly: boolean("notify_weekly").notNull().default(true),
    createdAt: createdAt(),
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    index("users_name_prefix_idx").on(sql`lower(${t.name}) text_pattern_ops`),
    index("users_email_prefix_idx").on(sql`lower(${t.email}) text_pattern_ops`),
    // "Invited by either way" is part of who knows whom (src/db/repos/knows.ts).
    index("users_invited_by_idx").on(t.invitedBy),
  ],
);

/**
 * Groups (a trip, a flat, a couple): members, and their own pairwise balances. An expense or a
 * settlement belongs to at most one group (expenses.group_id, settlements.group_id); members
 * and per-group balances are in ./groups.ts.
 */
export const groups = pgTable(
  "groups",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    /** Show the group's balances as the fewest transfers (GET /groups/{id}/balances default). */
    simplifyDebts: boolean("simplify_debts").notNull().default(true),
    /**
     * ISO 4217: the default of its expenses and settlements, and what an expense entered with an
     * exchange rate is booked in. New groups get APP_CURRENCY; groups from before currencies, INR.
     */
    currency: text("currency").notNull().default("INR"),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    /** DELETE /groups/{id} archives (read-only, kept for history); only when all balances are 0. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    archivedBy: integer("archived_by").references(() => users.id),
  },
  (t) => [check("groups_currency", sql`${t.currency} ~ '^[A-Z]{3}$'`)],
);

export const expenses = pgTable(
  "expenses",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    description: text("description").notNull(),
    amount: paise("amount_paise").notNull(),
    currency: text("currency").notNull().default("INR"),
    splitType: text("split_type").notNull(),
    expenseDate: date("expense_date", { mode: "string" }).notNull(),
    version: integer("version").notNull().default(1),
    createdBy: integer("created_by").references(() => users.id),
    updatedBy: integer("updated_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    deletedBy: integer("deleted_by").references(() => users.id),
    /** The group it belongs to (null: between friends). */
    groupId: integer("group_id").references(() => groups.id),
    /**
     * ITEMIZED only: the items as entered (`[{description, amount, participants}]`, paise), read
     * and written only with the expense (no query looks inside; the shares are in expense_shares).
     */
    splitItems:
      jsonb("split_items").$type<
        { description: string; amount: number; participants: number[] }[]
      >(),
    /** ITEMIZED only: tax and tip (paise), spread over the item subtotals. */
    tax: paise("tax_paise"),
    tip: paise("tip_paise"),
    /**
     * An expense entered in another currency than its group's and booked at `exchange_rate` (1
     * unit of `original_currency` in the group's): the amount as entered, in minor units of
     * `original_currency`. All three are null otherwise. The rate is an exact decimal.
     */
    originalAmount: bigint("original_amount", { mode: "number" }),
    originalCurrency: text("original_currency"),
    exchangeRate: numeric("exchange_rate"),
    /** Optional, as entered (API and pages) or imported: one line of at most 50 characters. */
    category: text("category"),
    /** Optional free text, line breaks kept: at most 1000 characters. */
    notes: text("notes"),
  },
  (t) => [
    index("expenses_group_idx").on(t.groupId, t.expenseDate, t.id),
    // 10,000,000 major units in a currency with 3 minor digits (KWD) is the largest in any.
    check("expenses_amount_range", sql`${t.amount} > 0 and ${t.amount} <= 10000000000`),
    check(
      "expenses_split_type",
      sql`${t.splitType} in ('EQUAL', 'EXACT', 'PERCENTAGE', 'SHARES', 'ADJUSTMENT', 'ITEMIZED')`,
    ),
    check("expenses_tax_tip", sql`coalesce(${t.tax}, 0) >= 0 and coalesce(${t.tip}, 0) >= 0`),
    check("expenses_currency", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      "expenses_original",
      sql`(${t.originalAmount} is null and ${t.originalCurrency} is null and ${t.exchangeRate} is null)
        or (${t.originalAmount} > 0 and ${t.originalCurrency} ~ '^[A-Z]{3}$' and ${t.exchangeRate} > 0)`,
    ),
  ],
);

/** Who paid: one row per payer (one or more). */
export const expensePayers = pgTable(
  "expense_payers",
  {
    expenseId: integer("expense_id")
      .notNull()
      .references(() => expenses.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    amount: paise("amount_paise").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.expenseId, t.userId] }),
    index("expense_payers_user_idx").on(t.userId, t.expenseId),
    check("expense_payers_amount_positive", sql`${t.amount} > 0`),
  ],
);

/** The ledger: each participant's share, in the order the participants were given. */
export const expenseShares = pgTable(
  "expense_shares",
  {
    expenseId: integer("expense_id")
      .notNull()
      .references(() => expenses.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    position: integer("position").notNull(),
    amount: paise("amount_paise").notNull(),
    /**
     * The split value as entered: paise for EXACT, basis points for PERCENTAGE, hundredths of a
     * weight for SHARES, signed paise for ADJUSTMENT; null for EQUAL and ITEMIZED.
     */
    splitValue: bigint("split_value", { mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.expenseId, t.userId] }),
    index("expense_shares_user_idx").on(t.userId, t.expenseId),
    check("expense_shares_amount_nonnegative", sql`${t.amount} >= 0`),
  ],
);

export const settlements = pgTable(
  "settlements",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    fromUser: integer("from_user")
      .notNull()
      .references(() => users.id),
    toUser: integer("to_user")
      .notNull()
      .references(() => users.id),
    amount: paise("amount_paise").notNull(),
    currency: text("currency").notNull().default("INR"),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    groupId: integer("group_id").references(() => groups.id),
    /** DELETE /settlements/{id}: kept for history (and restore), its effect on balances reversed. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    deletedBy: integer("deleted_by").references(() => users.id),
    /** Optional free text ("cash at the airport"), line breaks kept: at most 1000 characters. */
    note: text("note"),
  },
  (t) => [
    index("settlements_group_idx").on(t.groupId, t.id),
    index("settlements_from_idx").on(t.fromUser, t.id),
    index("settlements_to_idx").on(t.toUser, t.id),
    check("settlements_amount_range", sql`${t.amount} > 0 and ${t.amount} <= 10000000000`),
    check("settlements_currency", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("settlements_distinct_users", sql`${t.fromUser} <> ${t.toUser}`),
  ],
);

/**
 * Pairwise balances, one row per unordered pair (user_a < user_b) and currency: a_owes_b > 0
 * means A owes B, < 0 means B owes A, in minor units of `currency` (never added across
 * currencies). A cache of the ledger, maintained by atomic upserts in the same transaction as the
 * ledger rows; `npm run verify-ledger` recomputes it. Rows from before currencies are INR.
 */
export const pairBalances = pgTable(
  "pair_balances",
  {
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
    primaryKey({ columns: [t.userA, t.userB, t.currency] }),
    index("pair_balances_user_b_idx").on(t.userB),
    check("pair_balances_ordered", sql`${t.userA} < ${t.userB}`),
  ],
);

/**
 * Friends (POST /friends, invitations, settlements along a debt-simplification plan), stored in
 * both directions so "my friends" is one index range. One of the ways people know each other:
 * src/db/repos/knows.ts has the whole relation.
 */
export const friendships = pgTable(
  "friendships",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    friendId: integer("friend_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.friendId] }),
    check("friendships_distinct_users", sql`${t.userId} <> ${t.friendId}`),
  ],
);
