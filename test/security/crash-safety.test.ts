import type { Session } from "fastify";
import Fastify from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { SESSION_COOKIE, usePageSessions } from "../../src/http/auth/page-session.js";
import { DatabaseSessionStore } from "../../src/http/auth/session-store.js";
import { cookieFrom, createFixtureUser, csrfFrom } from "../helpers/app.js";
import { openTestDatabase } from "../helpers/database.js";
import { type ServerProcess, startServerProcess } from "../helpers/server-process.js";

/** Requests that used to end the process: `next` makes the redirect's Location header invalid. */
const CRASHERS = [
  "/login?next=/%0a/x",
  "/login?next=/%0d%0aSet-Cookie:%20a=b",
  "/login?next=/%E2%80%A8x",
  "/login?next=/%C4%81",
];

let server: ServerProcess | undefined;
afterAll(async () => server?.stop());

describe("no request ends the process", () => {
  it("`npm start` answers every crashing request and keeps serving", async () => {
    server = await startServerProcess();
    const { base } = server;
    const email = "asha@example.com";
    const password = "tamarind-rickshaw-42";
    const signup = await fetch(`${base}/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Asha", email, mobile_number: 919876543210, password }),
    });
    expect(signup.status).toBe(201);
    // A fresh page log-in each time: its first page view saves the session (the crash path).
    const logIn = async () => {
      const form = await fetch(`${base}/login`);
      const anon = cookieFrom(form.headers.getSetCookie(), SESSION_COOKIE) ?? "";
      const res = await fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: anon, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: csrfFrom(await form.text()), email, password }),
      });
      expect(res.status).toBe(303);
      return cookieFrom(res.headers.getSetCookie(), SESSION_COOKIE) ?? "";
    };
    const answers: string[] = [];
    for (const url of CRASHERS) {
      const cookie = await logIn();
      const res = await fetch(`${base}${url}`, { redirect: "manual", headers: { cookie } }).then(
        (r) => `${r.status} ${r.headers.get("location")}`,
        (e: Error) => `no answer (${(e.cause as { code?: string })?.code ?? e.message})`,
      );
      answers.push(res);
      expect(res, url).toBe("303 /app");
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(server.alive(), server.output()).toBe(true);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await logIn()).not.toBe("");
    console.log(`crashing requests answered: ${answers.join(", ")}; process still serving`);
  });
});

describe("an error after a session write becomes a 500", () => {
  it("writing an invalid header after saving the session answers 500, nothing unhandled", async () => {
    const db = await openTestDatabase();
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on("unhandledRejection", onUnhandled);
    const app = Fastify();
    try {
      const user = await createFixtureUser(db.db, "Asha");
      await app.register(async (scope) => {
        await usePageSessions(scope, {
          db: db.db,
          config: loadConfig({}),
          secret: "a-test-secret-of-at-least-32-characters",
        });
        // The session is modified, so its onSend hook writes it through the store's callback;
        // then writing the head fails (Node refuses the header value).
        scope.get("/boom", async (request, reply) => {
          request.session.set("userId", user.id);
          reply.header("x-broken", "a\nb");
          return "never sent";
        });
      });
      // Over a real socket: Node's own ServerResponse is what refuses the header.
      const base = await app.listen({ port: 0, host: "127.0.0.1" });
      const status = await fetch(`${base}/boom`, { signal: AbortSignal.timeout(10_000) }).then(
        (r) => r.status,
        (e: Error) => `no answer (${e.name})`,
      );
      expect(status).toBe(500);
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await app.close();
      await db.destroy();
    }
  });
});

describe("the session store never leaks a rejection", () => {
  it("reports what its callbacks throw instead of rejecting with no one listening", async () => {
    const db = await openTestDatabase();
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on("unhandledRejection", onUnhandled);
    try {
      const reported: unknown[] = [];
      const store = new DatabaseSessionStore(db.db, 60_000, (err) => reported.push(err));
      const user = await createFixtureUser(db.db, "Asha");
      const session = { cookie: {}, userId: user.id } as unknown as Session;
      const boom = (op: string) => () => {
        throw new Error(`${op} callback threw`);
      };
      store.set("s1", session, boom("set"));
      store.get("s1", boom("get"));
      store.destroy("s1", boom("destroy"));
      await expect.poll(() => reported.length).toBe(3);
      await new Promise((r) => setTimeout(r, 100));
      expect(reported.map((e) => (e as Error).message).sort()).toEqual([
        "destroy callback threw",
        "get callback threw",
        "set callback threw",
      ]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await db.destroy();
    }
  });
});
