import { bigint, timestamp } from "drizzle-orm/pg-core";

/**
 * One schema for PGlite and PostgreSQL. Money columns are integer paise (bigint, read as JS
 * numbers: every value is bounded far below 2^53 by the checks below).
 */
export const paise = (name: string) => bigint(name, { mode: "number" });
export const createdAt = () =>
  timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
