import cluster, { type Worker } from "node:cluster";

/**
 * The primary of WEB_CONCURRENCY web processes (node:cluster): the workers share the one port
 * and each runs the whole app. The primary only forks, restarts a worker that dies unexpectedly
 * (after a pause, so a crash loop does not spin), and passes SIGTERM/SIGINT on; it exits once
 * every worker has finished its in-flight requests. Whatever the processes share (rate limits,
 * the outbox, idempotency keys, the weekly schedule) is coordinated in PostgreSQL.
 */
export function runPrimary(processes: number): void {
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on("exit", (worker: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(
      `web process ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another`,
    );
    setTimeout(fork, 1000).unref();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    for (const w of workers) w?.process.kill(signal);
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  for (let i = 0; i < processes; i++) fork();
}
