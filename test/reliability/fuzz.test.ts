import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { verifyLedger } from "../../src/services/ledger.js";
import { issueFixtureToken, startTestApp, type TestApp } from "../helpers/app.js";
import { testSeed } from "../helpers/seed.js";

/**
 * Fuzzing every route of the JSON API in the OpenAPI document with arbitrary and near-valid
 * bodies, path parameters, query strings and headers: never a 5xx, every 4xx a problem+json body,
 * and a refused request never changes the database (checksum of every table before and after).
 * Most requests carry a valid bearer token of one of the fuzz users (so they get past
 * authentication and reach validation, access rules and the database); some carry none or a bad
 * one. HTML pages (/, /app, /login, /signup, /logout, /claim, /profile) are not part of the API.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const SEED = testSeed;

let t: TestApp;
let users: number[];
let expenseId: number;
/** The fuzz users' current credentials (a fuzzed request may revoke a token: it is replaced). */
const tokens = new Map<number, Record<string, string>>();
beforeAll(async () => {
  t = await startTestApp();
  users = [await t.user("F"), await t.user("F"), await t.user("F")];
  for (const u of users) tokens.set(u, t.authHeaders(u));
  const seeded = await t.call(
    "POST",
    "/expenses",
    {
      paid_by: users[0],
      amount: "30",
      split_type: "EQUAL",
      participants: users,
      description: "seed",
    },
    { as: users[0] },
  );
  expenseId = seeded.body.expenseid;
});
afterAll(async () => t.close());

const tables = [
  "users",
  "expenses",
  "expense_payers",
  "expense_shares",
  "settlements",
  "pair_balances",
  "outbox",
  "idempotency_keys",
];
async function checksum(): Promise<string> {
  const parts = tables.map(
    (tb) => `coalesce((select md5(string_agg(x::text, '|' order by x::text)) from ${tb} x), '-')`,
  );
  const r = (await t.db.db.execute(
    sql.raw(`select ${parts.join(" || ':' || ")} as c`),
  )) as unknown as {
    rows: { c: string }[];
  };
  return r.rows[0]?.c ?? "";
}

/** A valid body per route, for near-valid mutations. */
const validBodies = (): Record<string, Record<string, unknown>> => ({
  "POST /users": { name: "Fuzz", email: "fuzz@example.com", mobile_number: "9876543210" },
  "POST /expenses": {
    paid_by: users[0],
    amount: "10.00",
    split_type: "EXACT",
    participants: [users[0], users[1]],
    split_values: ["4.00", "6.00"],
    description: "near",
  },
  "PUT /expenses/{expenseid}": {
    paid_by: users[1],
    amount: 12,
    split_type: "PERCENTAGE",
    participants: [users[0], users[1]],
    split_values: [50, 50],
    description: "near",
  },
  "POST /settlements": { from_user: users[1], to_user: users[0], amount: "1.00" },
  "PATCH /users/{userid}/preferences": { expense_emails: false, weekly_summary: true },
});

const weird = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    "",
    " ",
    "0",
    "-1",
    "1e3",
    "NaN",
    "Infinity",
    "99999999999999999999",
    "0.001",
    "1.",
    ".5",
    "\u0000",
    "<script>",
    "' or 1=1 --",
    "💸",
    "a".repeat(600),
    -1,
    0,
    2 ** 31,
    2 ** 53,
    1e308,
    -0.001,
    true,
    null,
    [],
    {},
  ),
);
const isPage = (path: string) =>
  path === "/" || /^\/(app|login|signup|logout|claim|profile)(\/|$)/.test(path);

/** Who a request claims to be: one of the fuzz users (most), nobody, or a bad credential. */
type Auth = { user: number } | { none: true } | { raw: string };
const authArb: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 8, arbitrary: fc.nat(2).map((user) => ({ user })) },
  { weight: 1, arbitrary: fc.constant({ none: true as const }) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom("Bearer nope", "Bearer ", "Basic Zm9vOmJhcg==", "", "bearer evl_x.y"),
        fc.string({ maxLength: 30 }),
      )
      .map((raw) => ({ raw })),
  },
);

/** Tokens revoked (log-out, token deletion, password change) get a new one; a user that is gone is replaced. */
async function refreshCredentials() {
  for (const [i, u] of users.entries()) {
    const me = await t.app.inject({ method: "GET", url: "/auth/me", headers: tokens.get(u) });
    if (me.statusCode === 200) continue;
    tokens.set(u, await issueFixtureToken(t.db.db, u));
    const again = await t.app.inject({ method: "GET", url: "/auth/me", headers: tokens.get(u) });
    if (again.statusCode === 200) continue;
    const fresh = await t.user("F");
    users[i] = fresh;
    tokens.set(fresh, t.authHeaders(fresh));
  }
}

const pathValue = () =>
  fc.oneof(
    fc.constantFrom(...users.map(String), String(expenseId)),
    fc.constantFrom(
      "1",
      "2",
      "3",
      "0",
      "-1",
      "2147483648",
      "99999999999999999999",
      "1.5",
      "abc",
      "%00",
      "%F0%9F%92%B8",
      "1e2",
      " 1",
    ),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
const queryString = fc.oneof(
  fc.constant(""),
  fc
    .dictionary(
      fc.constantFrom("limit", "cursor", "q", "simplify", "x", "limit[]", "__proto__"),
      fc.oneof(
        weird.map((v) => String(v)),
        fc.string({ maxLength: 20 }),
      ),
      { maxKeys: 3 },
    )
    .map((d) => `?${new URLSearchParams(d as Record<string, string>).toString()}`),
);
const headers = fc.record(
  {
    "content-type": fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/json; charset=latin1",
      "",
    ),
    "idempotency-key": fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom("", "k", "x".repeat(256)),
    ),
    "if-match": fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom("*", '"1"', 'W/"1"', '"0"', '"1", "2"'),
    ),
    accept: fc.constantFrom("application/json", "text/html", "*/*", "application/xml"),
  },
  { requiredKeys: [] },
);

it(`fuzzes every OpenAPI route (${RUNS} requests): no 5xx, problems for every 4xx, refused requests change nothing`, async () => {
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const api = Object.entries(doc.paths).filter(([path]) => !isPage(path));
  const routes = api.flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
      .map((m) => ({ method: m.toUpperCase(), path })),
  );
  expect(routes.length).toBeGreaterThanOrEqual(15);
  const valid = validBodies();

  const bodyFor = (route: string) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: weird },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => ({ raw: `{${s}` })) },
      {
        weight: 5,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...Object.keys(valid[route] ?? { name: 1 })),
            fc.constantFrom("delete", "replace", "extra", "keep"),
            weird,
          )
          .map(([key, how, value]) => {
            const b: Record<string, unknown> = { ...(valid[route] ?? {}) };
            if (how === "delete") delete b[key];
            else if (how === "replace") b[key] = value;
            else if (how === "extra") b[`${key}_x`] = value;
            return b;
          }),
      },
    );

  const requestArb = fc.constantFrom(...routes).chain((r) =>
    fc.record({
      route: fc.constant(r),
      params: fc.array(pathValue(), { minLength: 3, maxLength: 3 }),
      query: queryString,
      headers,
      auth: authArb,
      body: bodyFor(`${r.method} ${r.path}`),
    }),
  );

  const byStatus: Record<number, number> = {};
  const byAuth: Record<string, number> = { user: 0, none: 0, raw: 0 };
  const failures: string[] = [];
  let refusedWrites = 0;
  let unchanged = 0;
  let baseline = await checksum();
  const samples = fc.sample(requestArb, { numRuns: RUNS, seed: SEED });
  console.log(
    `fuzz: seed ${SEED} (replay: TEST_SEED=${SEED}), ${routes.length} API operations (${Object.keys(doc.paths).length - api.length} page paths left out)`,
  );
  for (const s of samples) {
    let i = 0;
    const url = s.route.path.replace(/\{[^}]+\}/g, () => s.params[i++] as string) + s.query;
    const auth: Record<string, string> =
      "user" in s.auth
        ? (tokens.get(users[s.auth.user] as number) ?? {})
        : "raw" in s.auth
          ? { authorization: s.auth.raw }
          : {};
    const kind = "user" in s.auth ? "user" : "raw" in s.auth ? "raw" : "none";
    byAuth[kind] = (byAuth[kind] ?? 0) + 1;
    const opts: InjectOptions = {
      method: s.route.method as InjectOptions["method"],
      url,
      headers: {
        ...(Object.fromEntries(
          Object.entries(s.headers).filter(([, v]) => v !== undefined),
        ) as Record<string, string>),
        ...auth,
      },
    };
    if (s.body !== undefined && s.route.method !== "GET") {
      const raw = (s.body as { raw?: string })?.raw;
      opts.payload = raw ?? JSON.stringify(s.body);
    }
    let res: Awaited<ReturnType<typeof t.app.inject>>;
    try {
      res = await t.app.inject(opts);
    } catch (err) {
      failures.push(`${opts.method} ${url}: inject threw ${String(err)}`);
      continue;
    }
    byStatus[res.statusCode] = (byStatus[res.statusCode] ?? 0) + 1;
    const what = `${opts.method} ${url} ${JSON.stringify(opts.headers)} ${String(opts.payload).slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
    if (res.statusCode >= 500) failures.push(`5xx: ${what}`);
    if (res.statusCode >= 400) {
      let body: Record<string, unknown> = {};
      try {
        body = res.json();
      } catch {}
      const ok =
        String(res.headers["content-type"]).startsWith("application/problem+json") &&
        typeof body.type === "string" &&
        typeof body.title === "string" &&
        body.status === res.statusCode &&
        typeof body.detail === "string";
      if (!ok) failures.push(`not a problem: ${what}`);
    }
    if (opts.method !== "GET") {
      const now = await checksum();
      if (res.statusCode >= 400) {
        refusedWrites++;
        if (now !== baseline) failures.push(`refused request changed the database: ${what}`);
        else unchanged++;
      }
      baseline = now;
      if (res.statusCode < 400 && /^\/(auth|users)\//.test(url)) {
        await refreshCredentials();
        baseline = await checksum();
      }
    }
  }
  const report = await verifyLedger(t.db.db);
  console.log(
    `fuzz: ${samples.length} requests (${byAuth.user} with a valid token, ${byAuth.none} without, ${byAuth.raw} with a bad Authorization header), by status ${JSON.stringify(byStatus)}; ${refusedWrites} refused writes, ${unchanged} left the database unchanged; ${failures.length} failures; ledger ${report.ok ? "verified" : "DRIFT"}`,
  );
  expect(failures.slice(0, 10)).toEqual([]);
  expect(report.ok).toBe(true);
}, 180_000);
