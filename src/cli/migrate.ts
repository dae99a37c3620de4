import { loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";

// `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded database.
const config = loadConfig();
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
try {
  await handle.migrate();
  console.log(`migrations applied (${handle.kind})`);
} finally {
  await handle.close();
}
