import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../test/helpers/ports.js";
import { benchUrl } from "./setup.js";

export interface BenchServer {
  base: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * The app as deployed: its own process (`BENCH_START`: "build" runs dist/main.js, "tsx" the
 * sources), NODE_ENV=production, request logs at info written to a file, no worker in-process.
 */
export async function startServer(opts: { processes: number }): Promise<BenchServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "evenly-bench-"));
  const logFile = path.join(dir, "server.log");
  const fd = openSync(logFile, "a");
  const useBuild = (process.env.BENCH_START ?? "tsx") === "build";
  const args = [
    ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(" ") : []),
    ...(useBuild ? ["dist/main.js"] : ["--import", "tsx", "src/main.ts"]),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      DATABASE_URL: benchUrl(),
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      RUN_WORKER: "false",
      WEB_CONCURRENCY: String(opts.processes),
      DATA_DIR: dir,
    },
    stdio: ["ignore", fd, fd],
  });
  let closed = false;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start (see ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    logFile,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
