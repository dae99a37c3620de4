import type { FastifyInstance, InjectOptions } from "fastify";
import { buildApp } from "../../src/app.js";
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

export interface TestAppOptions {
  engine?: "server" | "pglite";
  /**
   * Test-only login for the web pages until sessions exist: a `test_actor=<userid>` cookie makes
   * that user the acting user. Never in src/: the accounts layer replaces it with real sessions.
   */
  testActorCookie?: boolean;
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const db = await openTestDatabase(opts);
  const config = loadConfig({ LOG_LEVEL: "silent" });
  const app = await buildApp({ config, database: db, logger: false });
  if (opts.testActorCookie) {
    app.addHook("onRequest", async (request) => {
      const m = /(?:^|;\s*)test_actor=(\d+)/.exec(request.headers.cookie ?? "");
      if (m) request.actor = { userId: Number(m[1]), via: "session" };
    });
  }
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
      counter++;
      const res = await call("POST", "/users", {
        name: `${name} ${counter}`,
        email: `${name.toLowerCase().replace(/\W/g, "")}${counter}@example.com`,
        mobile_number: 9000000000 + counter,
      });
      if (res.status !== 201) throw new Error(`user creation failed: ${JSON.stringify(res.body)}`);
      return res.body.userid as number;
    },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
