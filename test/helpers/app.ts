import type { FastifyInstance, InjectOptions } from "fastify";
import { buildApp } from "../../src/app.js";
import { hashPassword } from "../../src/auth/password-hash.js";
import { type Config, loadConfig } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import { insertApiToken } from "../../src/db/repos/api-tokens.js";
import { insertUser } from "../../src/db/repos/users.js";
import { friendships } from "../../src/db/schema.js";
import { SESSION_COOKIE } from "../../src/http/auth/page-session.js";
import { hashSecretToken, newSecretToken } from "../../src/lib/secret-token.js";
import { openTestDatabase, type TestDatabase } from "./database.js";

export interface TestApp {
  app: FastifyInstance;
  /** The settings the app runs with (defaults plus the test's `env`). */
  config: Config;
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
  /**
   * A fixture user who is friends with every earlier `user()` of this app (most tests put them in
   * expenses together by id, which needs them to know each other).
   */
  user(name?: string): Promise<number>;
  /** A fixture user who knows nobody (for tests about strangers); later `user()`s skip them too. */
  stranger(name?: string): Promise<number>;
  /** The email of a fixture user made by `user()` (their password is FIXTURE_PASSWORD). */
  emailOf(userId: number): string;
  /** A logged-in page session for a fixture user: its cookie header and a CSRF token for forms. */
  pageSession(userId: number): Promise<PageSession>;
  /** Headers that authenticate `userId` on a real HTTP request (e.g. fetch against a listening app). */
  authHeaders(userId: number): Record<string, string>;
  close(): Promise<void>;
}

export interface PageSession {
  cookie: string;
  csrf: string;
}

/** The value of one cookie from a response's set-cookie headers, as a `name=value` pair. */
export function cookieFrom(setCookie: string | string[] | undefined, name: string): string | null {
  for (const c of [setCookie ?? []].flat())
    if (c.startsWith(`${name}=`)) return c.split(";")[0] ?? null;
  return null;
}

export const csrfFrom = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

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
  opts: { friends?: number[] } = {},
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
  await befriendFixtures(db, user.id, opts.friends ?? []);
  return { id: user.id, email, headers: await issueFixtureToken(db, user.id) };
}

/** Makes `userId` friends with each of `others` (both directions, one statement). */
export async function befriendFixtures(db: Database, userId: number, others: number[]) {
  if (others.length === 0) return;
  await db
    .insert(friendships)
    .values(
      others.flatMap((o) => [
        { userId, friendId: o },
        { userId: o, friendId: userId },
      ]),
    )
    .onConflictDoNothing();
}

/** A new live API token for an existing user (e.g. after a test revoked the old one): its header. */
export async function issueFixtureToken(
  db: Database,
  userId: number,
): Promise<Record<string, string>> {
  const token = newSecretToken("evl");
  await insertApiToken(db, {
    userId,
    tokenHash: hashSecretToken(token),
    label: "fixture",
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return { authorization: `Bearer ${token}` };
}

export interface TestAppOptions {
  engine?: "server" | "pglite";
  /** Extra environment for loadConfig (e.g. tighter rate limits). */
  env?: Record<string, string>;
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const db = await openTestDatabase(opts);
  // Generous log-in limits by default: every injected request comes from one IP.
  const config = loadConfig({
    LOG_LEVEL: "silent",
    LOGIN_RATE_LIMIT: "100000",
    LOGIN_IP_RATE_LIMIT: "100000",
    SIGNUP_RATE_LIMIT: "100000",
    ...opts.env,
  });
  const app = await buildApp({ config, database: db, logger: false });
  await app.ready();
  const credentials = new Map<number, Record<string, string>>();
  const friendly: number[] = []; // every user() so far: the next one befriends them all
  const resetTables = db.reset.bind(db);
  db.reset = async () => {
    friendly.length = 0;
    await resetTables();
  };
  const emails = new Map<number, string>();
  const emailOfUser = (userId: number) => {
    const email = emails.get(userId);
    if (!email) throw new Error(`user ${userId} was not made by t.user()`);
    return email;
  };
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
    config,
    db,
    call,
    authHeaders,
    async user(name = "user") {
      const u = await createFixtureUser(db.db, name, { friends: friendly });
      friendly.push(u.id);
      credentials.set(u.id, u.headers);
      emails.set(u.id, u.email);
      return u.id;
    },
    async stranger(name = "stranger") {
      const u = await createFixtureUser(db.db, name);
      credentials.set(u.id, u.headers);
      emails.set(u.id, u.email);
      return u.id;
    },
    emailOf: emailOfUser,
    async pageSession(userId) {
      // The real log-in form: GET it (session + CSRF token), POST it, then a token for forms.
      const form = await app.inject({ method: "GET", url: "/login" });
      const anon = cookieFrom(form.headers["set-cookie"], SESSION_COOKIE) ?? "";
      const login = await app.inject({
        method: "POST",
        url: "/login",
        headers: { cookie: anon, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({
          _csrf: csrfFrom(form.body),
          email: emailOfUser(userId),
          password: FIXTURE_PASSWORD,
          next: "/app",
        }).toString(),
      });
      const cookie = cookieFrom(login.headers["set-cookie"], SESSION_COOKIE);
      if (login.statusCode !== 303 || !cookie)
        throw new Error(`page log-in failed: ${login.statusCode}`);
      const page = await app.inject({ method: "GET", url: "/profile", headers: { cookie } });
      return { cookie, csrf: csrfFrom(page.body) };
    },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
