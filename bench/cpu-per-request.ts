/**
 * CPU time the web process spends per create-expense request (user + system, from /proc), and
 * the same for PostgreSQL's backends: where a request's cost goes, independent of machine load.
 *   npx tsx bench/cpu-per-request.ts   (BENCH_PARTICIPANTS default 4, BENCH_REQUESTS 1000;
 *   BENCH_STRACE=FILE also counts the web process's system calls with `strace -c`)
 */
import { execSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { startServer } from "./lib/server.js";
import { ensureBenchDatabase, expenseBody, makeCrew } from "./lib/setup.js";

const ticks = Number(execSync("getconf CLK_TCK").toString().trim());
const cpuMs = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(f[11]) + Number(f[12])) / ticks) * 1000;
};
const postgresMs = (): number =>
  execSync("pgrep -x postgres || pgrep -f 'postgres:'")
    .toString()
    .trim()
    .split("\n")
    .reduce((s, p) => {
      try {
        return s + cpuMs(Number(p));
      } catch {
        return s;
      }
    }, 0);

await ensureBenchDatabase(false);
const server = await startServer({ processes: 1 });
const port = new URL(server.base).port;
const pid = Number(
  execSync(`ss -ltnpH 'sport = :${port}'`)
    .toString()
    .match(/pid=(\d+)/)?.[1],
);
const participants = Number(process.env.BENCH_PARTICIPANTS ?? 4);
const count = Number(process.env.BENCH_REQUESTS ?? 1000);
const crew = await makeCrew(participants);
const body = expenseBody(crew, participants);
const send = async () => {
  const r = await fetch(`${server.base}/expenses`, {
    method: "POST",
    headers: { authorization: `Bearer ${crew.token}`, "content-type": "application/json" },
    body,
  });
  if (r.status !== 201) throw new Error(`status ${r.status}: ${await r.text()}`);
  await r.arrayBuffer();
};
for (let i = 0; i < 100; i++) await send(); // warm-up
const strace = process.env.BENCH_STRACE
  ? spawn("strace", ["-c", "-f", "-p", String(pid), "-o", process.env.BENCH_STRACE])
  : undefined;
if (strace) await new Promise((r) => setTimeout(r, 1000));
const [web0, pg0, t0] = [cpuMs(pid), postgresMs(), performance.now()];
for (let i = 0; i < count; i++) await send();
const [web1, pg1, t1] = [cpuMs(pid), postgresMs(), performance.now()];
if (strace) {
  strace.kill("SIGINT");
  await new Promise((r) => strace.once("exit", r));
}
await server.stop();
console.log(
  JSON.stringify({
    participants,
    requests: count,
    wallMsPerRequest: +((t1 - t0) / count).toFixed(3),
    webCpuMsPerRequest: +((web1 - web0) / count).toFixed(3),
    postgresCpuMsPerRequest: +((pg1 - pg0) / count).toFixed(3),
  }),
);
