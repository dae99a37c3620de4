import { execFile, execFileSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/**
 * A private PostgreSQL server in a temp dir, on its own port, for tests that stop and start it
 * (the shared server on 5432 serves other test files concurrently and must never be stopped).
 * Runs as the `postgres` OS user when the tests run as root (initdb refuses root).
 */
export interface PrivatePostgres {
  url: string;
  port: number;
  /** `pg_ctl stop -m immediate`: like a crash, no checkpoint, clients cut off. */
  stopImmediate(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP to the postmaster and every backend: the server accepts TCP but never answers. */
  freeze(): void;
  /** SIGCONT to them all: the server answers again, as if nothing happened. */
  thaw(): void;
  destroy(): void;
}

function binDir(): string {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) throw new Error("PostgreSQL binaries not found under /usr/lib/postgresql");
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(root, v, "bin");
    if (existsSync(path.join(dir, "initdb"))) return dir;
  }
  throw new Error("initdb not found under /usr/lib/postgresql/*/bin");
}

/**
 * `hba`: pg_hba.conf lines put before the trust rules, e.g. to make one role log in by password
 * (`host all rotating 127.0.0.1/32 scram-sha-256`).
 */
export async function startPrivatePostgres(
  port: number,
  options: { hba?: string[] } = {},
): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), "evenly-pg-"));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], {
          stdio: "pipe",
        })
      : execFileSync(path.join(bin, cmd), args, { stdio: "pipe" });
  const runAsync = async (cmd: string, args: string[]) => {
    await (asRoot
      ? promisify(execFile)("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args])
      : promisify(execFile)(path.join(bin, cmd), args));
  };
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  if (options.hba?.length) {
    const hbaFile = path.join(data, "pg_hba.conf");
    writeFileSync(hbaFile, `${options.hba.join("\n")}\n${readFileSync(hbaFile, "utf8")}`);
  }
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`;
  const startArgs = [
    "-D",
    data,
    "-o",
    opts,
    "-l",
    path.join(dir, "log"),
    "-w",
    "-t",
    "60",
    "start",
  ];
  run("pg_ctl", startArgs);
  const admin = new pg.Client({
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
  });
  await admin.connect();
  await admin.query("create database evenly");
  await admin.end();
  // The postmaster first, so it forks no new backend while they are being stopped.
  let frozen: number[] = [];
  const processes = () => {
    const postmaster = Number(
      readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0],
    );
    const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(postmaster)])
      .toString()
      .split("\n")
      .map((l) => Number(l.trim()))
      .filter((pid) => pid > 0);
    return { postmaster, children };
  };
  const thaw = () => {
    for (const pid of frozen.reverse()) process.kill(pid, "SIGCONT");
    frozen = [];
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/evenly`,
    freeze() {
      const { postmaster } = processes();
      process.kill(postmaster, "SIGSTOP");
      const { children } = processes();
      for (const pid of children) process.kill(pid, "SIGSTOP");
      frozen = [postmaster, ...children];
    },
    thaw,
    port,
    stopImmediate: () => runAsync("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]),
    start: () => runAsync("pg_ctl", startArgs),
    destroy() {
      try {
        thaw();
      } catch {}
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
