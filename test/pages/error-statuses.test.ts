import Fastify, { type FastifyInstance } from "fastify";
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "../../src/config.js";
import {
  Conflict,
  Forbidden,
  Gone,
  InvalidInput,
  NotFound,
  PreconditionFailed,
  RateLimited,
  RuleViolation,
  Unauthenticated,
} from "../../src/domain/errors.js";
import { decorateActor } from "../../src/http/actor.js";
import { registerErrorHandling } from "../../src/http/error-handler.js";
import { DOMAIN_PROBLEMS } from "../../src/http/error-map.js";
import { formFailure } from "../../src/http/pages/error-pages.js";
import { usePageChrome } from "../../src/http/pages/index.js";
import { loadSecret } from "../../src/notifications/tokens.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

/**
 * The API and the pages answer every error with the same status (one table, error-map.ts): each
 * error is thrown from a tiny API route, a tiny page route (HTML error page) and a tiny page form
 * (re-rendered form), and the three statuses and Retry-After headers must agree.
 */
const errors: Record<string, () => unknown> = {
  validation: () => new InvalidInput("bad cursor", [{ field: "cursor", message: "is bad" }]),
  unauthenticated: () => new Unauthenticated(),
  forbidden: () => new Forbidden("not yours"),
  not_found: () => new NotFound("expense", 7),
  conflict: () => new Conflict("email taken", [{ field: "email", message: "is taken" }]),
  precondition: () => new PreconditionFailed("changed meanwhile"),
  gone: () => new Gone("link used", [{ field: "token", message: "was already used" }]),
  rule: () => new RuleViolation("percentages add up to 99"),
  rate_limited: () => new RateLimited(7),
  database_unavailable: () => Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
  retries_exhausted: () => Object.assign(new Error("deadlock"), { code: "40P01" }),
  bug: () => new Error("a bug"),
};

/** What each case must give on both faces (the domain kinds straight from the table). */
const expected: Record<string, { status: number; retryAfter?: string }> = {
  ...Object.fromEntries(Object.entries(DOMAIN_PROBLEMS).map(([k, v]) => [k, { status: v.status }])),
  rate_limited: { status: 429, retryAfter: "7" },
  database_unavailable: { status: 503, retryAfter: "5" },
  retries_exhausted: { status: 503, retryAfter: "1" },
  bug: { status: 500 },
};

let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openTestDatabase();
  const config = loadConfig({ LOG_LEVEL: "silent" });
  const ctx = { db: db.db, config, secret: await loadSecret(db.db, config.APP_SECRET) };
  const root = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  root.setValidatorCompiler(validatorCompiler);
  root.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(root);
  decorateActor(root);
  const kind = { params: z.object({ kind: z.string() }) };
  const query = { querystring: z.object({ n: z.coerce.number().int() }) };
  root.get("/api/throw/:kind", { schema: kind }, async (req) => {
    throw errors[req.params.kind]?.();
  });
  root.get("/api/query", { schema: query }, async () => "ok");
  await root.register(async (pages) => {
    await usePageChrome(pages, ctx);
    const p = pages.withTypeProvider<ZodTypeProvider>();
    p.get("/page/throw/:kind", { schema: kind }, async (req) => {
      throw errors[req.params.kind]?.();
    });
    p.get("/page/form/:kind", { schema: kind }, async (req, reply) => {
      const { status } = formFailure(errors[req.params.kind]?.(), reply);
      return reply.code(status).type("text/html").send("<p>the form again</p>");
    });
    p.get("/page/query", { schema: query }, async () => "ok");
  });
  app = root;
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.destroy();
});

const get = (url: string) => app.inject({ method: "GET", url });

describe("one status per error on the API and the pages", () => {
  it.each(Object.keys(errors))("%s", async (name) => {
    const want = expected[name];
    expect(want, name).toBeDefined();
    const api = await get(`/api/throw/${name}`);
    expect(api.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const page = await get(`/page/throw/${name}`);
    const statuses = { api: api.statusCode, page: page.statusCode };
    if (name === "unauthenticated") {
      // Presentation, not status: a page that needs a log-in sends the browser to it.
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toBe(
        `/login?next=${encodeURIComponent(`/page/throw/${name}`)}`,
      );
      statuses.page = want?.status ?? 0;
    } else {
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
    }
    expect(statuses).toEqual({ api: want?.status, page: want?.status });
    expect(page.headers["retry-after"]).toBe(want?.retryAfter);
    expect(api.headers["retry-after"]).toBe(want?.retryAfter);
  });

  it.each(Object.keys(DOMAIN_PROBLEMS))("%s shown on a form", async (name) => {
    const form = await get(`/page/form/${name}`);
    expect(form.body).toContain("the form again");
    expect(form.statusCode).toBe((await get(`/api/throw/${name}`)).statusCode);
    expect(form.headers["retry-after"]).toBe(expected[name]?.retryAfter);
  });

  it("a schema violation in the query string is 400 on both", async () => {
    expect((await get("/api/query?n=x")).statusCode).toBe(400);
    const page = await get("/page/query?n=x");
    expect([page.statusCode, page.headers["content-type"]]).toEqual([
      400,
      "text/html; charset=utf-8",
    ]);
  });
});
