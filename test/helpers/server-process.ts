import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServerDatabase } from "./database.js";
import { freePort } from "./ports.js";

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Still running (not exited, not killed)? */
  alive(): boolean;
  stop(): Promise<void>;
}

/**
 * `npm start` in a child process, on its own fresh database (a new database on the test server),
 * or on `opts.databaseUrl` (shared with other processes; the caller drops it), answering on a
 * free port once /readyz says so.
 */
export async function startServerProcess(
  env: Record<string, string> = {},
  opts: { databaseUrl?: string } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "evenly-proc-"));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dir,
    LOG_LEVEL: "warn",
    ...env,
  };
  delete childEnv.DATABASE_URL;
  const created = opts.databaseUrl
    ? { url: opts.databaseUrl, drop: async () => {} }
    : await createServerDatabase("evenly_proc");
  childEnv.DATABASE_URL = created.url;
  const dropDatabase = created.drop;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: childEnv,
    stdio: "pipe",
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    base,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop,
  };
}
