import type { FastifyInstance, InjectOptions } from "fastify";
import { buildApp } from "../../src/app.js";
import { hashPassword } from "../../src/auth/password-hash.js";
import type { Database } from "../../src/db/client.js";
import { insertApiToken } from "../../src/db/repos/api-tokens.js";
import { insertUser } from "../../src/db/repos/users.js";
import { hashSecretToken, newSecretToken } from "../../src/lib/secret-token.js";
import { loadConfig } from "../../src/config.js";
import { openTestDatabase, type TestDatabase } from "./database.js";

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  /**
   * JSON request through the real HTTP stack (inject: no socket, same code path).
   * `as` names the acting user (their credentials are attached); omit it for an anonymous call.
   */
  call(
    method: InjectOptions["method"],
    url: string,
    body?: unknown,
    opts?: CallOptions,
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  user(name?: string): Promise<number>;
  /** Headers that authenticate `userId` on a real HTTP request (e.g. fetch against a listening app). */
  authHeaders(userId: number): Record<string, string>;
  close(): Promise<void>;
}

export interface CallOptions {
  as?: number;
  headers?: Record<string, string>;
}

let counter = 0;
let fixtureHash: Promise<string> | undefined;

/** The password every fixture user has (real sign-up is tested in test/auth). */
export const FIXTURE_PASSWORD = "fixture-password-for-tests";

/**
 * A user with an account and a live API token, written directly (one argon2 hash per test run
 * instead of one per user): most tests are about money, not about signing up.
 */
export async function createFixtureUser(
  db: Database,
  name = "user",
): Promise<{ id: number; email: string; headers: Record<string, string> }> {
  counter++;
  fixtureHash ??= hashPassword(FIXTURE_PASSWORD);
  const email = `${name.toLowerCase().replace(/\W/g, "")}${counter}.${process.pid}@example.com`;
  const user = await insertUser(db, {
    name: `${name} ${counter}`,
    email,
    mobileNumber: String(9000000000 + counter),
    passwordHash: await fixtureHash,
  });
  const token = newSecretToken("evl");
  await insertApiToken(db, {
    userId: user.id,
    tokenHash: hashSecretToken(token),
    label: "fixture",
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return { id: user.id, email, headers: { authorization: `Bearer ${token}` } };
}

export async function startTestApp(
  opts: { engine?: "server" | "pglite"; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const db = await openTestDatabase(opts);
  const config = loadConfig({ LOG_LEVEL: "silent", ...opts.env });
  const app = await buildApp({ config, database: db, logger: false });
  await app.ready();
  const credentials = new Map<number, Record<string, string>>();
  const authHeaders = (userId: number) => credentials.get(userId) ?? {};
  const call: TestApp["call"] = async (method, url, body, opts = {}) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...(opts.as === undefined ? {} : authHeaders(opts.as)), ...opts.headers },
      ...(body === undefined ? {} : { payload: body as InjectOptions["payload"] }),
    });
    const text = res.body;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
    return { status: res.statusCode, body: parsed as any, headers: res.headers };
  };
  return {
    app,
    db,
    call,
    authHeaders,
    async user(name = "user") {
      const u = await createFixtureUser(db.db, name);
      credentials.set(u.id, u.headers);
      return u.id;
    },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
