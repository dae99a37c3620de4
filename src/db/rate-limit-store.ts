import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
} from "rate-limiter-flexible";
import type { DatabaseHandle } from "./types.js";

export interface LimiterOptions {
  /** Keeps each limiter's keys apart in the shared table. */
  keyPrefix: string;
  points: number;
  duration: number;
}

export type LimiterFactory = (opts: LimiterOptions) => RateLimiterAbstract;

/**
 * Where rate-limit counters live. On a PostgreSQL server: the `rate_limits` table (created by our
 * migrations, hence tableCreated), so every web process and instance counts together. A store
 * error (database down) rejects the request rather than skipping the limit; the error handler
 * answers 503. With embedded PGlite there is only ever one process: in memory.
 */
export function rateLimiterFactory(database: DatabaseHandle): LimiterFactory {
  const pool = database.pool;
  if (!pool) return (opts) => new RateLimiterMemory(opts);
  return (opts) =>
    new RateLimiterPostgres({
      ...opts,
      storeClient: pool,
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true,
    });
}
