import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATE_RANGE_MESSAGE } from "../../src/domain/dates.js";
import { SINGLE_LINE_MESSAGE } from "../../src/http/schemas/common.js";
import { FIXTURE_PASSWORD, startTestApp, type TestApp } from "../helpers/app.js";
import { tableChecksum } from "../helpers/table-checksum.js";
import { anonymousSession, pageText, postForm } from "./page-forms.js";

/**
 * The hostile inputs of the security issue (item 8), each over real HTTP: a 4xx problem (or, on
 * a page, the form again with its message), never a 500, and nothing in the database changes.
 */

let t: TestApp;
let a: number;
let b: number;
let expenseId: number;
beforeAll(async () => {
  t = await startTestApp();
  a = await t.user("Asha");
  b = await t.user("Bela");
  const created = await t.call(
    "POST",
    "/expenses",
    { paid_by: a, amount: "30", split_type: "EQUAL", participants: [a, b], description: "Tea" },
    { as: a },
  );
  expenseId = created.body.expenseid;
});
afterAll(async () => t?.close());

const NUL = "\u0000";
const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const json = { "content-type": "application/json" };
const expense = (over: Record<string, unknown>) => ({
  paid_by: a,
  amount: "10",
  split_type: "EQUAL",
  participants: [a, b],
  description: "Snacks",
  ...over,
});

interface Case {
  name: string;
  method: "GET" | "POST" | "PUT";
  url: () => string;
  body?: () => unknown;
  anonymous?: boolean;
  headers?: Record<string, string>;
  status: number;
  /** The problem type's slug, where it matters. */
  slug?: string;
  /** A field the problem must name, with a message that says what is wrong. */
  field?: [string, string | RegExp];
}

const cases: Case[] = [
  {
    name: "a NUL byte in the log-in email",
    method: "POST",
    url: () => "/auth/token",
    body: () => ({ email: `asha${NUL}@example.com`, password: FIXTURE_PASSWORD }),
    anonymous: true,
    status: 400,
    field: ["email", SINGLE_LINE_MESSAGE],
  },
  {
    name: "a NUL byte in a claim-link email",
    method: "POST",
    url: () => "/auth/claim-link",
    body: () => ({ email: `${NUL}@example.com` }),
    anonymous: true,
    status: 400,
    field: ["email", SINGLE_LINE_MESSAGE],
  },
  {
    name: "a NUL byte as the search term",
    method: "GET",
    url: () => "/users?q=%00",
    status: 400,
    field: ["q", SINGLE_LINE_MESSAGE],
  },
  {
    name: "a NUL byte as the email looked up",
    method: "GET",
    url: () => "/users?email=%00",
    status: 400,
    field: ["email", SINGLE_LINE_MESSAGE],
  },
  {
    name: "a line feed in an invited friend's name",
    method: "POST",
    url: () => "/users",
    body: () => ({ name: "Eve\nBcc: x", email: "eve@example.com", mobile_number: "9876500009" }),
    status: 400,
    field: ["name", SINGLE_LINE_MESSAGE],
  },
  {
    name: "an expense dated 0000-01-01",
    method: "POST",
    url: () => "/expenses",
    body: () => expense({ date: "0000-01-01" }),
    status: 422,
    field: ["date", DATE_RANGE_MESSAGE],
  },
  {
    name: "an expense dated after 2200",
    method: "POST",
    url: () => "/expenses",
    body: () => expense({ date: "2201-01-01" }),
    status: 422,
    field: ["date", DATE_RANGE_MESSAGE],
  },
  {
    name: "an edit moving an expense to 0000-01-01",
    method: "PUT",
    url: () => `/expenses/${expenseId}`,
    body: () => expense({ date: "0000-01-01" }),
    status: 422,
    field: ["date", DATE_RANGE_MESSAGE],
  },
  {
    name: "a line separator (U+2028) in a description",
    method: "POST",
    url: () => "/expenses",
    body: () => expense({ description: "Snacks\u2028Call +1 555" }),
    status: 400,
    field: ["description", SINGLE_LINE_MESSAGE],
  },
  {
    name: "an expense body nested 10,000 levels, with an Idempotency-Key",
    method: "POST",
    url: () => "/expenses",
    body: () => `{"paid_by":${a},"amount":${deep(10_000)}}`,
    headers: { ...json, "idempotency-key": "deep-1" },
    status: 400,
    slug: "malformed-request",
  },
  {
    name: "a settlement body nested 10,000 levels, with an Idempotency-Key",
    method: "POST",
    url: () => "/settlements",
    body: () => deep(10_000),
    headers: { ...json, "idempotency-key": "deep-2" },
    status: 400,
    slug: "malformed-request",
  },
  {
    name: "an edit body nested 10,000 levels",
    method: "PUT",
    url: () => `/expenses/${expenseId}`,
    body: () => `{"description":${deep(10_000)}}`,
    headers: json,
    status: 400,
    slug: "malformed-request",
  },
];

describe("the JSON API", () => {
  it.each(cases)("$name → $status problem, nothing written", async (c) => {
    const before = await tableChecksum(t.db);
    const res = await t.call(c.method, c.url(), c.body?.(), {
      ...(c.anonymous ? {} : { as: a }),
      ...(c.headers ? { headers: c.headers } : {}),
    });
    expect(res.status).toBe(c.status);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: c.status, type: expect.any(String) });
    expect(res.body.detail).toEqual(expect.any(String));
    if (c.slug) expect(res.body.type).toMatch(new RegExp(`/${c.slug}$`));
    if (c.field) {
      const [field, message] = c.field;
      expect(res.body.errors).toContainEqual({ field, message: expect.stringMatching(message) });
    }
    expect(await tableChecksum(t.db)).toBe(before);
  });

  // A cursor must be a next_cursor the same list returned (test/api/cursors.test.ts): a forged one
  // is a 400 naming the parameter, never page 1 and never a 500.
  it("forged list cursors (year 0, ids beyond a database integer) are a 400, not a 500", async () => {
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    for (const url of [
      `/users/${a}/expenses?cursor=${cursor({ date: "0000-01-01", id: 1 })}`,
      `/users/${a}/expenses?cursor=${cursor({ date: "2026-01-01", id: 1e15 })}`,
      `/users/${a}/settlements?cursor=${cursor(1e15)}`,
      `/users?cursor=${cursor(1e15)}`,
    ]) {
      const res = await t.call("GET", url, undefined, { as: a });
      expect(res.status, url).toBe(400);
      expect(res.body.errors, url).toContainEqual(expect.objectContaining({ field: "cursor" }));
    }
  });
});

describe("the pages", () => {
  it("log-in with a NUL byte in the email: the form again with the message (422)", async () => {
    const before = await tableChecksum(t.db);
    const res = await postForm(t, await anonymousSession(t), "/login", {
      email: `asha${NUL}@example.com`,
      password: FIXTURE_PASSWORD,
      next: "/app",
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(pageText(res.body)).toContain(`Email: ${SINGLE_LINE_MESSAGE}.`);
    expect(res.body).toContain('name="password"');
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it('"add by email" with a NUL byte: the expense form again with the message (422)', async () => {
    const session = await t.pageSession(a);
    const before = await tableChecksum(t.db);
    const res = await postForm(t, session, "/app/expenses/new", {
      description: "Lunch",
      amount: "20",
      date: "2026-11-20",
      paid_by: String(a),
      split_type: "EQUAL",
      row: [String(a), String(b)],
      participant: [String(a), String(b)],
      email: `bela${NUL}@example.com`,
      action: "add_person",
    });
    expect(res.statusCode).toBe(422);
    expect(pageText(res.body)).toContain(`Add by email: ${SINGLE_LINE_MESSAGE}.`);
    expect(res.body).toContain('value="Lunch"');
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("an expense dated 0000-01-01: the form again with the date range (422)", async () => {
    const session = await t.pageSession(a);
    const before = await tableChecksum(t.db);
    const res = await postForm(t, session, "/app/expenses/new", {
      description: "Lunch",
      amount: "20",
      date: "0000-01-01",
      paid_by: String(a),
      split_type: "EQUAL",
      row: [String(a), String(b)],
      participant: [String(a), String(b)],
    });
    expect(res.statusCode).toBe(422);
    expect(pageText(res.body)).toContain(`Date: ${DATE_RANGE_MESSAGE}.`);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("ids beyond a database integer in page addresses: not found, ignored or refused, not a 500", async () => {
    const { cookie } = await t.pageSession(a);
    const huge = "9999999999";
    const cursor = Buffer.from(JSON.stringify(1e15)).toString("base64url");
    for (const [url, status] of [
      [`/app/expenses/${huge}`, 404],
      [`/app/expenses?person=${huge}`, 200],
      [`/app/expenses/new?with=${huge}`, 200],
      [`/app/settlements?cursor=${cursor}`, 400],
    ] as const) {
      const res = await t.app.inject({ method: "GET", url, headers: { cookie } });
      expect(res.statusCode, url).toBe(status);
    }
  });
});
