import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { users } from "./ledger.js";

/* Everything around the ledger: notifications (outbox, deliveries), settings, idempotency, credentials, sessions, rate limits. */

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
    check("account_links_purpose", sql`${t.purpose} in ('claim', 'reset')`),
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
