import pino from "pino";
import { resolveDatabase } from "./aws/db-secret.js";
import { databaseOptions } from "./compose/database.js";
import { startQueue } from "./compose/queue.js";
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/client.js";

/**
 * `npm run worker`: outbox relay, notification worker and weekly schedule, for deployments with a
 * PostgreSQL server (with the embedded database `npm start` runs all this in-process).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL, name: "worker" });
  if (!config.DATABASE_URL && !config.DATABASE_SECRET_ARN) {
    throw new ConfigError(
      "npm run worker needs DATABASE_URL: with the embedded database, npm start runs the worker in-process",
    );
  }
  const database = await openDatabase({
    ...(await resolveDatabase(config)),
    ...databaseOptions(config, "worker"),
  });
  await database.migrate();
  const runtime = await startQueue(database, config, log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker stopping: finishing in-flight jobs");
    await runtime.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
