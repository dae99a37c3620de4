import cluster from "node:cluster";
import pino from "pino";
import { buildApp } from "./app.js";
import { resolveDatabase } from "./aws/db-secret.js";
import { runPrimary } from "./compose/cluster.js";
import { databaseOptions } from "./compose/database.js";
import { startQueue } from "./compose/queue.js";
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/client.js";
import type { QueueRuntime } from "./notifications/runtime.js";

/**
 * `npm start`: the web app; with the embedded database (or RUN_WORKER=true) also the worker.
 * With WEB_CONCURRENCY > 1 this process forks that many copies of itself behind the one port.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) return runPrimary(config.WEB_CONCURRENCY);
  const database = await openDatabase({
    ...(await resolveDatabase(config)),
    ...databaseOptions(config, "web"),
  });
  await database.migrate();
  let runtime: QueueRuntime | undefined;
  // Log lines are written asynchronously and in batches (a blocking write per request cost ~15 %
  // of the CPU under load, one asynchronous write per line still ~10 %): at 4 KB or after at most
  // a second, whichever is first; whatever is still buffered is written when the process exits.
  const logStream = pino.destination({
    dest: 1,
    sync: false,
    minLength: 4096,
    periodicFlush: 1000,
  });
  process.on("exit", () => {
    try {
      logStream.flushSync();
    } catch {}
  });
  const app = await buildApp({
    config,
    database,
    logStream,
    outboxWritten: () => runtime?.kick(),
  });
  // With SQS only the relay runs here (cheap, and on AWS nothing else would publish the outbox).
  const inProcessWorker =
    config.RUN_WORKER === "true" ||
    (config.RUN_WORKER === "auto" && (database.kind === "pglite" || config.QUEUE === "sqs"));
  if (inProcessWorker) runtime = await startQueue(database, config, app.log);
  app.log.info(
    database.kind === "pglite"
      ? `embedded database (PGlite) in ${config.dataDir}`
      : `PostgreSQL server from ${config.DATABASE_URL ? "DATABASE_URL" : "DATABASE_SECRET_ARN"}`,
  );

  // A safety net, not the error handling: a rejection nobody awaited is a bug to log and fix,
  // never a reason to drop every other user's requests (Node would end the process).
  process.on("unhandledRejection", (err) => app.log.error({ err }, "unhandled rejection"));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down: finishing in-flight requests and jobs");
    await app.close(); // stops accepting, waits for in-flight requests
    await runtime?.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
