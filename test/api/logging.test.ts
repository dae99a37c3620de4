import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

// The app's real logger (pino, as in production) writing into an array instead of stdout.
const lines: string[] = [];
let app: FastifyInstance;
let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
  app = await buildApp({
    config: loadConfig({ LOG_LEVEL: "debug" }),
    database: db,
    logStream: { write: (line: string) => void lines.push(line) },
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.destroy();
});

const SECRET = "hunter2-Sup3rSecret";
const TOKEN = "tok_live_9f8e7d6c5b4a";

it("every log line of a request carries its request id, which is also in the response; no secret is ever logged", async () => {
  lines.length = 0;
  const requests = [
    // Valid registration carrying a password field (unknown today; auth will accept it).
    {
      method: "POST" as const,
      url: "/users",
      headers: { authorization: `Bearer ${TOKEN}`, cookie: `session=${TOKEN}` },
      payload: {
        name: "Asha",
        email: "asha@example.com",
        mobile_number: "9876543210",
        password: SECRET,
      },
    },
    // Malformed JSON around the secret: the parser's message quotes the text it choked on.
    {
      method: "POST" as const,
      url: "/users",
      headers: { "content-type": "application/json", authorization: `Basic ${TOKEN}` },
      payload: `{"email":"a@b.c","password":"${SECRET}"`,
    },
    {
      method: "POST" as const,
      url: "/users",
      headers: { "content-type": "application/json" },
      payload: `{"password": ${SECRET}}`,
    },
    {
      method: "POST" as const,
      url: "/users",
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { name: "B", email: "b@example.com", mobile_number: "9876543211" },
    },
    { method: "GET" as const, url: "/expenses/999", headers: { authorization: `Bearer ${TOKEN}` } },
    { method: "GET" as const, url: `/no-such-route?password=${SECRET}&token=${TOKEN}` },
    // The one-click unsubscribe link carries a signed token in its query string.
    { method: "GET" as const, url: `/unsubscribe?lang=en&token=${TOKEN}` },
    {
      method: "POST" as const,
      url: "/settlements",
      headers: { "idempotency-key": "k", authorization: `Bearer ${TOKEN}` },
      payload: { from_user: 1, to_user: 2, amount: "x" },
    },
  ];
  const ids: string[] = [];
  for (const r of requests) {
    const res = await app.inject(r);
    const id = String(res.headers["x-request-id"]);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    ids.push(id);
    // (The unsubscribe page answers people with HTML; every API error is a problem.)
    if (res.statusCode >= 400 && !r.url.startsWith("/unsubscribe")) {
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.json().request_id).toBe(id);
    }
    // Echoing secrets back in an error body is as bad as logging them.
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain(TOKEN);
  }
  const parsed = lines.map((l) => JSON.parse(l) as { reqId?: string; msg?: string });
  expect(parsed.length).toBeGreaterThanOrEqual(requests.length * 2);
  const withoutId = parsed.filter((p) => !p.reqId);
  expect(withoutId).toEqual([]);
  for (const id of ids)
    expect(parsed.filter((p) => p.reqId === id).length).toBeGreaterThanOrEqual(2);
  const leaking = lines.filter((l) => l.includes(SECRET) || l.includes(TOKEN));
  expect(leaking).toEqual([]);
  console.log(
    `logging: ${requests.length} requests → ${lines.length} log lines, ${lines.length - withoutId.length} with a request id, ${leaking.length} containing a secret`,
  );
});
