import { loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { listDeadLetters, retryDeadLetters } from "../notifications/dead-letters.js";
import { startBoss } from "../notifications/pgboss.js";

// `npm run dead-letters` lists notifications that failed every attempt;
// `npm run dead-letters -- --retry` puts them back on the queue.
const config = loadConfig();
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
await handle.migrate();
const boss = await startBoss(handle, config);
try {
  if (process.argv.includes("--retry")) {
    console.log(`re-queued ${await retryDeadLetters(boss)} notification(s)`);
  } else {
    const dead = await listDeadLetters(boss);
    for (const d of dead)
      console.log(
        `${d.createdOn.toISOString?.() ?? d.createdOn}  ${d.kind}  to user ${d.recipientId}  ${d.dedupeKey}`,
      );
    console.log(`${dead.length} notification(s) in the dead-letter queue`);
  }
} finally {
  await boss.stop({ graceful: false, wait: true });
  await handle.close();
}
