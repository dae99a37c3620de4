import { type ChildProcess, spawn } from "node:child_process";
import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createFixtureUser } from "./app.js";
import type { SmtpSink } from "./smtp.js";

/** `npm run worker` as a child process, as deployed (its own pools, signals, exit code). */
export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) whenever the process ends. */
  exited: Promise<number | string>;
  /** Set once the process has ended. */
  exit?: number | string;
  /** Its log lines (pino JSON on stdout). */
  logs: string[];
}

export function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
    env: { ...process.env, LOG_LEVEL: "error", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const w: WorkerProcess = {
    child,
    logs: [],
    exited: new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        w.exit = code ?? signal ?? "unknown";
        resolve(w.exit);
      }),
    ),
  };
  let partial = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    w.logs.push(...lines.filter(Boolean));
  });
  return w;
}

/** Settings that make a crashed or failed delivery come back within seconds (tests only). */
export const FAST_RECOVERY = {
  WORKER_POLL_SECONDS: "0.5",
  OUTBOX_POLL_MS: "100",
  NOTIFY_JOB_EXPIRE_SECONDS: "3",
  QUEUE_MAINTENANCE_SECONDS: "1",
  NOTIFY_LEASE_SECONDS: "2",
  NOTIFY_RETRY_DELAY_SECONDS: "1",
  NOTIFY_RETRY_LIMIT: "10",
};

export const dedupeKeys = (smtp: SmtpSink) =>
  new Set(smtp.mails.map((m) => String(m.headers.get("x-evenly-dedupe-key"))));

export async function until(cond: () => boolean, timeoutMs: number, what: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type FixtureUser = { id: number; headers: Record<string, string> };

export async function fixtureUsers(db: Database, count: number): Promise<FixtureUser[]> {
  const users: FixtureUser[] = [];
  // Friends with each other, so any of them may put the others on an expense.
  for (let i = 0; i < count; i++)
    users.push(await createFixtureUser(db, `U${i}`, { friends: users.map((u) => u.id) }));
  return users;
}

/** `count` expenses among 5 of the users each (so 5 notifications each), recorded by their payer. */
export async function addExpenses(
  app: FastifyInstance,
  users: FixtureUser[],
  count: number,
  label: string,
): Promise<void> {
  for (let e = 0; e < count; e++) {
    const involved = [0, 1, 2, 3, 4].map((k) => users[(e + k * 3) % users.length] as FixtureUser);
    const participants = involved.map((u) => u.id);
    const res = await app.inject({
      method: "POST",
      url: "/expenses",
      headers: involved[0]?.headers,
      payload: {
        paid_by: participants[0],
        amount: "100.00",
        split_type: "EQUAL",
        participants,
        description: `${label} ${e}`,
      },
    });
    expect(res.statusCode).toBe(201);
  }
}

/** Every mail of one notification carries the same Message-ID (so a duplicate is recognisable). */
export function expectStableMessageIds(smtp: SmtpSink): void {
  const ids = new Map<string, string>();
  for (const m of smtp.mails) {
    const key = String(m.headers.get("x-evenly-dedupe-key"));
    if (ids.has(key)) expect(m.messageId).toBe(ids.get(key));
    else ids.set(key, String(m.messageId));
  }
}
