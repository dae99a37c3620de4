import { resolveDatabase } from "../aws/db-secret.js";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";

// `npm run migrate`: applies pending migrations to DATABASE_URL (or the database in
// DATABASE_SECRET_ARN, as on Elastic Beanstalk's deploy), or to the embedded database.
const config = loadConfig();
const handle = await openDatabase({ ...(await resolveDatabase(config)), dataDir: config.dataDir });
try {
  await handle.migrate();
  console.log(`migrations applied (${handle.kind})`);
} finally {
  await handle.close();
}
