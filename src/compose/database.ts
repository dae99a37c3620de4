import type { Config } from "../config.js";
import type { OpenOptions } from "../db/client.js";

/** The pool of the web process (DB_POOL_MAX) or of `npm run worker` (WORKER_POOL_MAX). */
export function databaseOptions(
  config: Config,
  role: "web" | "worker",
): Omit<OpenOptions, "databaseUrl" | "ssl"> {
  return {
    dataDir: config.dataDir,
    poolMax: role === "worker" ? config.WORKER_POOL_MAX : config.DB_POOL_MAX,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
    readyTimeoutMs: config.DB_READY_TIMEOUT_MS,
  };
}
