import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * One schema for PGlite and PostgreSQL. Money columns are integer paise (bigint, read as JS
 * numbers: every value is bounded far below 2^53 by the checks below).
 */
const paise = (name: string) => bigint(name, { mode: "number" });
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

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
  },
  (t) => [
    check("expenses_amount_range", sql`${t.amount} > 0 and ${t.amount} <= 1000000000`),
    check("expenses_split_type", sql`${t.splitType} in ('EQUAL', 'EXACT', 'PERCENTAGE')`),
    check("expenses_currency", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** Who paid: one row per payer (today exactly one), so multiple payers need no schema change. */
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
    /** The split value as entered: paise for EXACT, basis points for PERCENTAGE, null for EQUAL. */
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
  },
  (t) => [
    index("settlements_from_idx").on(t.fromUser, t.id),
    index("settlements_to_idx").on(t.toUser, t.id),
    check("settlements_amount_range", sql`${t.amount} > 0 and ${t.amount} <= 1000000000`),
    check("settlements_distinct_users", sql`${t.fromUser} <> ${t.toUser}`),
  ],
);

/**
 * Pairwise balances, one row per unordered pair (user_a < user_b): a_owes_b > 0 means A owes B,
 * < 0 means B owes A. A cache of the ledger, maintained by atomic upserts in the same transaction
 * as the ledger rows; `npm run verify-ledger` recomputes it.
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
    aOwesB: paise("a_owes_b_paise").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userA, t.userB] }),
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

/**
 * Transactional outbox: one row per recipient of an event, written in the same transaction as the
 * change it announces. A relay publishes unpublished rows to the queue (pg-boss or SQS).
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Event id + recipient: the same notification always has the same key. */
    dedupeKey: text("dedupe_key").notNull(),
    kind: text("kind").notNull(),
    recipientId: integer("recipient_id")
      .notNull()
      .references(() => users.id),
    payload: jsonb("payload").notNull(),
    createdAt: createdAt(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("outbox_dedupe_key").on(t.dedupeKey),
    index("outbox_unpublished_idx").on(t.id).where(sql`${t.publishedAt} is null`),
  ],
);

/**
 * Delivery record per dedupe key: claimed ('sending') before a send and marked 'sent' after it,
 * so a redelivered message is not sent again; a claim whose lease ran out (crashed worker) is
 * taken over, which may duplicate one mail but never loses one.
 */
export const notificationDeliveries = pgTable("notification_deliveries", {
  dedupeKey: text("dedupe_key").primaryKey(),
  status: text("status").notNull(),
  attempts: integer("attempts").notNull().default(1),
  claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
  messageId: text("message_id"),
});

/** Small key/value settings shared by every process (e.g. the generated signing secret). */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * Idempotency keys of POST /expenses and /settlements: the first request with a key claims the
 * row in the same transaction as its write and stores its response there, so a retry (or a
 * concurrent duplicate, which waits on the row) gets the stored response and creates nothing.
 * Scoped per acting user (`scope`); kept IDEMPOTENCY_RETENTION_HOURS, then purged.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    /** The acting user, once authentication sets one (null for anonymous requests). */
    userId: integer("user_id").references(() => users.id),
    /** sha256 of method, path and canonical JSON body: the same key with another request is refused. */
    fingerprint: text("fingerprint").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    /** The stored response; null only inside the claiming transaction, never once committed. */
    status: integer("status"),
    response: jsonb("response"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index("idempotency_keys_created_idx").on(t.createdAt),
  ],
);

/** API bearer tokens: only a SHA-256 of the random token is stored; revoked or expired ones fail. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    tokenHash: text("token_hash").notNull(),
    label: text("label").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("api_tokens_hash_key").on(t.tokenHash),
    index("api_tokens_user_idx").on(t.userId, t.id),
  ],
);

/** One-time links (claiming an invited account): hashed, single use, expiring. */
export const accountLinks = pgTable(
  "account_links",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    purpose: text("purpose").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("account_links_hash_key").on(t.tokenHash),
    index("account_links_user_idx").on(t.userId),
    check("account_links_purpose", sql`${t.purpose} in ('claim')`),
  ],
);

/** Page sessions (@fastify/session store): server-side, so log-out and password change end them. */
export const sessions = pgTable(
  "sessions",
  {
    sid: text("sid").primaryKey(),
    userId: integer("user_id").references(() => users.id),
    data: jsonb("data").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/**
 * Log-in, sign-up and claim counters shared by every web process (rate-limiter-flexible's
 * PostgreSQL store, src/db/rate-limit-store.ts). The library writes (key, points, expire) in
 * this column order; `expire` is epoch milliseconds, null for no expiry.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});
