import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { type Config, ConfigError, loadConfig } from "../../src/config.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { befriendFixtures, createFixtureUser } from "../helpers/app.js";
import { freePort } from "../helpers/ports.js";
import { type PrivatePostgres, startPrivatePostgres } from "../helpers/private-postgres.js";

// Shorter than the defaults so the test takes seconds; the client-side query timeout is derived
// from the statement timeout as in production (statement + 2 s).
const STATEMENT_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 1000;
/** The server is thawed after this long whatever happens, so nothing waits forever. */
const FROZEN_MS = 10_000;

describe("client-side query timeout setting", () => {
  it("defaults to the statement timeout + 2 s and must lie above it", () => {
    expect(loadConfig({}).DB_QUERY_TIMEOUT_MS).toBe(32_000);
    expect(loadConfig({ DB_STATEMENT_TIMEOUT_MS: "0" }).DB_QUERY_TIMEOUT_MS).toBe(0);
    expect(loadConfig({ DB_QUERY_TIMEOUT_MS: "40000" }).DB_QUERY_TIMEOUT_MS).toBe(40_000);
    expect(() => loadConfig({ DB_QUERY_TIMEOUT_MS: "30000" })).toThrow(ConfigError);
    expect(() => loadConfig({ DB_QUERY_TIMEOUT_MS: "soon" })).toThrow(/DB_QUERY_TIMEOUT_MS/);
  });
});

// Needs PostgreSQL binaries (a private server is frozen with SIGSTOP): CI always runs it.
describe("frozen database (SIGSTOP)", () => {
  let pgp: PrivatePostgres;
  let config: Config;
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    pgp = await startPrivatePostgres(await freePort());
    config = loadConfig({
      LOG_LEVEL: "silent",
      DATABASE_URL: pgp.url,
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    });
    database = await openDatabase({
      databaseUrl: pgp.url,
      dataDir: "unused",
      poolMax: 10,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
      readyTimeoutMs: config.DB_READY_TIMEOUT_MS,
    });
    await database.migrate();
    app = await buildApp({ config, database, logger: false });
    base = await app.listen({ port: 0, host: "127.0.0.1" });
  }, 120_000);
  afterAll(async () => {
    pgp?.thaw();
    await app?.close();
    await database?.close();
    pgp?.destroy();
  });

  async function timed(path: string, init: RequestInit = {}) {
    const t0 = Date.now();
    const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
    const body = (await res.json()) as Record<string, unknown>;
    return { path, status: res.status, body, ms: Date.now() - t0 };
  }

  it("requests end with 503 within the client-side timeout, /readyz within ~2 s, and all recover after SIGCONT", async () => {
    const [a, b] = [
      await createFixtureUser(database.db, "F"),
      await createFixtureUser(database.db, "G"),
    ];
    if (a && b) await befriendFixtures(database.db, a.id, [b.id]);
    if (!a || !b) throw new Error("no users");
    const expense = (description: string) => ({
      method: "POST",
      headers: { "content-type": "application/json", ...a.headers },
      body: JSON.stringify({
        paid_by: a.id,
        amount: "10.00",
        split_type: "EQUAL",
        participants: [a.id, b.id],
        description,
      }),
    });
    // Warm the pool: idle connections whose backends will be frozen too.
    const warm = await Promise.all(
      Array.from({ length: 6 }, () => timed(`/users/${a.id}/balances`, { headers: a.headers })),
    );
    expect(warm.map((r) => r.status)).toEqual(Array(6).fill(200));

    pgp.freeze();
    const frozenAt = Date.now();
    const thawTimer = setTimeout(() => pgp.thaw(), FROZEN_MS);
    let during: Awaited<ReturnType<typeof timed>>[];
    try {
      during = await Promise.all([
        timed("/readyz"),
        timed(`/users/${a.id}/balances`, { headers: a.headers }),
        timed("/expenses", expense("during the freeze")),
        timed(`/users/${a.id}/expenses`, { headers: a.headers }),
        timed("/readyz"),
      ]);
    } finally {
      clearTimeout(thawTimer);
      pgp.thaw();
    }
    const thawedAt = Date.now();
    // After SIGCONT: ready again, and writes go through.
    let readyAfterMs = -1;
    for (;;) {
      const r = await timed("/readyz");
      if (r.status === 200) {
        readyAfterMs = Date.now() - thawedAt;
        break;
      }
      if (Date.now() - thawedAt > 15_000) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const after = await timed("/expenses", expense("after the freeze"));
    console.log(
      [
        `frozen database: statement timeout ${STATEMENT_TIMEOUT_MS} ms, client-side query timeout ${config.DB_QUERY_TIMEOUT_MS} ms, readiness timeout ${config.DB_READY_TIMEOUT_MS} ms; thawed after ${thawedAt - frozenAt} ms`,
        ...during.map((r) => `  ${r.path}: ${r.status} in ${r.ms} ms`),
        `  after SIGCONT: ready in ${readyAfterMs} ms, POST /expenses ${after.status}`,
      ].join("\n"),
    );
    for (const r of during) {
      expect(r.status, r.path).toBe(503);
      expect(r.body.type, r.path).toMatch(/service-unavailable$/);
      const limit = r.path === "/readyz" ? config.DB_READY_TIMEOUT_MS : config.DB_QUERY_TIMEOUT_MS;
      expect(r.ms, r.path).toBeLessThan(limit + 1000);
    }
    expect(readyAfterMs).toBeGreaterThanOrEqual(0);
    expect(after.status).toBe(201);
  }, 60_000);
});
