import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { groups, users } from "./ledger.js";

/**
 * Files imported with POST /groups/import: the SHA-256 of the exact text, per importing user,
 * so the same file imported twice by mistake is refused (409) unless asked for again.
 */
export const imports = pgTable(
  "imports",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    sha256: text("sha256").notNull(),
    format: text("format").notNull(),
    groupId: integer("group_id")
      .notNull()
      .references(() => groups.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("imports_user_sha_idx").on(t.userId, t.sha256),
    check("imports_sha256_hex", sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
  ],
);
