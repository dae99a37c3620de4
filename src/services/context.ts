import type { Config } from "../config.js";
import type { Database } from "../db/client.js";

/** What every use case needs; built once at start-up and passed down explicitly. */
export interface AppContext {
  db: Database;
  config: Config;
  /** Signs unsubscribe links (APP_SECRET or the generated one kept in the database). */
  secret: string;
  /** Called after a transaction that wrote outbox rows commits: lets an in-process relay publish now. */
  outboxWritten?: () => void;
}
