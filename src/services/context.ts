import type { Config } from "../config.js";
import type { Database } from "../db/client.js";

/** What every use case needs; built once at start-up and passed down explicitly. */
export interface AppContext {
  db: Database;
  config: Config;
}
