import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { isDatabaseUnavailable } from "../../src/db/errors.js";
import { rateLimiterFactory } from "../../src/db/rate-limit-store.js";
import { AuthRateLimits } from "../../src/http/auth/rate-limits.js";
import { freePort } from "../helpers/ports.js";
import { type PrivatePostgres, startPrivatePostgres } from "../helpers/private-postgres.js";

// The rate-limit counters live in PostgreSQL: while it is down, a log-in is neither let through
// unchecked nor answered 500, but refused with 503 like every other request.
describe("rate limits while the database is down", () => {
  let pgp: PrivatePostgres;
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const config = loadConfig({ LOG_LEVEL: "silent", LOGIN_RATE_LIMIT: "3" });
  beforeAll(async () => {
    pgp = await startPrivatePostgres(await freePort());
    database = await openDatabase({
      databaseUrl: pgp.url,
      dataDir: "unused",
      connectTimeoutMs: 1000,
    });
    await database.migrate();
    app = await buildApp({ config, database, logger: false });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
    pgp?.destroy();
  });

  it("every limit check fails as 'database unavailable'; log-in and sign-up answer 503", async () => {
    const limits = new AuthRateLimits(config, rateLimiterFactory(database));
    await limits.beforeLogin("203.0.113.5", "someone@example.com"); // the store works
    await pgp.stopImmediate();
    const checks: [string, Promise<unknown>][] = [
      ["beforeLogin", limits.beforeLogin("203.0.113.5", "someone@example.com")],
      ["loginFailed", limits.loginFailed("someone@example.com")],
      ["beforeSignup", limits.beforeSignup("203.0.113.5")],
    ];
    for (const [name, check] of checks) {
      const err = await check.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, `${name} resolved without its counter`).toBeDefined();
      expect(isDatabaseUnavailable(err), `${name}: ${String(err)}`).toBe(true);
    }
    const login = await app.inject({
      method: "POST",
      url: "/auth/token",
      payload: { email: "someone@example.com", password: "wrong-password-1" },
    });
    expect(login.statusCode).toBe(503);
    expect(login.headers["content-type"]).toContain("application/problem+json");
    const signup = await app.inject({
      method: "POST",
      url: "/users",
      payload: {
        name: "Ira",
        email: "ira@example.com",
        mobile_number: "+919800000002",
        password: "tamarind-rickshaw-42",
      },
    });
    expect(signup.statusCode).toBe(503);

    // Back up: the limits count again, without a restart.
    await pgp.start();
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline) {
      const res = await app.inject({
        method: "POST",
        url: "/auth/token",
        payload: { email: "someone@example.com", password: "wrong-password-1" },
      });
      status = res.statusCode;
      if (status !== 503) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(401);
  }, 90_000);
});
