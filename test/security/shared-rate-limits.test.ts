import { RateLimiterMemory, RateLimiterPostgres } from "rate-limiter-flexible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimiterFactory } from "../../src/db/rate-limit-store.js";
import { createServerDatabase, openTestDatabase } from "../helpers/database.js";
import { type ServerProcess, startServerProcess } from "../helpers/server-process.js";

// Two real web processes on one database, as behind a load balancer: the log-in limits must hold
// for the pair, not per process (counters in PostgreSQL, not in each process's memory).
const ACCOUNT_LIMIT = 4;
const IP_LIMIT = 6;
let drop: () => Promise<void> = async () => {};
const procs: ServerProcess[] = [];

beforeAll(async () => {
  const db = await createServerDatabase("evenly_shared");
  drop = db.drop;
  const env = {
    LOGIN_RATE_LIMIT: String(ACCOUNT_LIMIT),
    LOGIN_IP_RATE_LIMIT: String(IP_LIMIT),
    // The client IP is the one X-Forwarded-For entry (what one load balancer would append).
    TRUST_PROXY: "1",
  };
  // One after the other: both migrate the same database (they would take turns anyway).
  procs.push(await startServerProcess(env, { databaseUrl: db.url }));
  procs.push(await startServerProcess(env, { databaseUrl: db.url }));
}, 120_000);
afterAll(async () => {
  for (const p of procs) await p.stop();
  await drop();
});

async function post(base: string, path: string, body: object, ip: string) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify(body),
  });
  return res.status;
}

describe("rate limits shared by every web process", () => {
  it("failed log-ins for one account, alternating between two processes, hit the limit at N total", async () => {
    const [a, b] = procs as [ServerProcess, ServerProcess];
    const email = `shared.${process.pid}@example.com`;
    expect(
      await post(
        a.base,
        "/users",
        { name: "Hema", email, mobile_number: "+919800000001", password: "tamarind-rickshaw-42" },
        "203.0.113.1",
      ),
    ).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 2 * ACCOUNT_LIMIT; i++) {
      const base = (i % 2 === 0 ? a : b).base;
      statuses.push(
        await post(
          base,
          "/auth/token",
          { email, password: "wrong-password-xx" },
          `198.51.100.${i + 1}`,
        ),
      );
    }
    console.log(`[shared limits] per account, alternating A/B: ${statuses.join(",")}`);
    // With a counter per process this would be 2N answers (each process allowing N).
    expect(statuses).toEqual([
      ...Array(ACCOUNT_LIMIT).fill(401),
      ...Array(ACCOUNT_LIMIT).fill(429),
    ]);
  });

  it("log-in attempts from one IP, alternating between two processes, hit the IP limit at N total", async () => {
    const [a, b] = procs as [ServerProcess, ServerProcess];
    const statuses: number[] = [];
    for (let i = 0; i < 2 * IP_LIMIT; i++) {
      const base = (i % 2 === 0 ? a : b).base;
      const body = { email: `nobody${i}.${process.pid}@example.com`, password: "wrong-password-1" };
      statuses.push(await post(base, "/auth/token", body, "203.0.113.9"));
    }
    console.log(`[shared limits] per IP, alternating A/B: ${statuses.join(",")}`);
    expect(statuses).toEqual([...Array(IP_LIMIT).fill(401), ...Array(IP_LIMIT).fill(429)]);
  });

  it("keeps the counters in memory with the embedded database (one process), in PostgreSQL otherwise", async () => {
    const opts = { keyPrefix: "t", points: 1, duration: 1 };
    const embedded = await openTestDatabase({ engine: "pglite" });
    const server = await openTestDatabase();
    try {
      expect(rateLimiterFactory(embedded)(opts)).toBeInstanceOf(RateLimiterMemory);
      expect(rateLimiterFactory(server)(opts)).toBeInstanceOf(RateLimiterPostgres);
    } finally {
      await embedded.destroy();
      await server.destroy();
    }
  });
});
