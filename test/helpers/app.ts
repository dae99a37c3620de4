import type { FastifyInstance, InjectOptions } from "fastify";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { openTestDatabase, type TestDatabase } from "./database.js";

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  /** JSON request through the real HTTP stack (inject: no socket, same code path). */
  call(
    method: InjectOptions["method"],
    url: string,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  user(name?: string): Promise<number>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTestApp(opts: { engine?: "server" | "pglite" } = {}): Promise<TestApp> {
  const db = await openTestDatabase(opts);
  const config = loadConfig({ LOG_LEVEL: "silent" });
  const app = await buildApp({ config, database: db, logger: false });
  await app.ready();
  const call: TestApp["call"] = async (method, url, body) => {
    const res = await app.inject({
      method,
      url,
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
