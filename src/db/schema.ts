/**
 * The one schema (PGlite and PostgreSQL alike; drizzle-kit generates the migrations in ./drizzle
 * from it): the ledger tables, and the tables around them.
 */
export * from "./schema/activity.js";
export * from "./schema/fx-rates.js";
export * from "./schema/groups.js";
export * from "./schema/imports.js";
export * from "./schema/ledger.js";
export * from "./schema/system.js";
