import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SINGLE_LINE_MESSAGE } from "../../src/http/schemas/common.js";
import { FIXTURE_PASSWORD, startTestApp, type TestApp } from "../helpers/app.js";
import { tableChecksum } from "../helpers/table-checksum.js";
import { anonymousSession, pageText, postForm } from "./page-forms.js";

/**
 * One rule for every one-line text field (security issue items 8 and 12): no control character
 * (C0 with tab, line feed and CR; DEL; C1 with U+0085), no line or paragraph separator; the same
 * message on the API and on the pages. Ordinary text, accents and emoji included, still works.
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

const BAD = {
  NUL: "\u0000",
  tab: "\t",
  "line feed": "\n",
  "carriage return": "\r",
  "vertical tab": "\u000b",
  "unit separator": "\u001f",
  DEL: "\u007f",
  "next line (U+0085)": "\u0085",
  "C1 U+009F": "\u009f",
  "line separator (U+2028)": "\u2028",
  "paragraph separator (U+2029)": "\u2029",
};

/** Every API field that takes one line of text: how to send a value, and its name in `errors`. */
const FIELDS: {
  field: string;
  method: "GET" | "POST" | "PUT";
  url: (v: string) => string;
  body?: (v: string) => unknown;
}[] = [
  {
    field: "name",
    method: "POST",
    url: () => "/users",
    body: (name) => ({ name, email: "new@example.com", mobile_number: "9876500009" }),
  },
  {
    field: "description",
    method: "POST",
    url: () => "/expenses",
    body: (description) => ({
      paid_by: a,
      amount: "10",
      split_type: "EQUAL",
      participants: [a, b],
      description,
    }),
  },
  {
    field: "description",
    method: "PUT",
    url: () => `/expenses/${expenseId}`,
    body: (description) => ({
      paid_by: a,
      amount: "10",
      split_type: "EQUAL",
      participants: [a, b],
      description,
    }),
  },
  {
    field: "label",
    method: "POST",
    url: () => "/auth/token",
    body: (label) => ({ email: t.emailOf(a), password: FIXTURE_PASSWORD, label }),
  },
  { field: "q", method: "GET", url: (q) => `/users?q=${encodeURIComponent(q)}` },
  { field: "email", method: "GET", url: (e) => `/users?email=${encodeURIComponent(e)}` },
];

describe("the API refuses every control and separator character in every one-line field", () => {
  const matrix = FIELDS.flatMap((f) =>
    Object.entries(BAD).map(([what, ch]) => ({ ...f, what, ch })),
  );
  it.each(matrix)("$method $field with a $what → 400", async (c) => {
    // In the middle and at the end: a trailing line feed is refused, not trimmed away.
    for (const value of [`Tea${c.ch}time`, `Tea${c.ch}`]) {
      const before = await tableChecksum(t.db);
      const res = await t.call(c.method, c.url(value), c.body?.(value), { as: a });
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({ field: c.field, message: SINGLE_LINE_MESSAGE });
      expect(await tableChecksum(t.db)).toBe(before);
    }
  });

  it("ordinary text with accents, emoji and inner spaces is accepted and kept as sent", async () => {
    const description = "Zoë's café — ₹ dinner 🍕 for  two";
    const res = await t.call(
      "POST",
      "/expenses",
      { paid_by: a, amount: "10", split_type: "EQUAL", participants: [a, b], description },
      { as: a },
    );
    expect(res.status).toBe(201);
    expect(res.body.description).toBe(description);
    const friend = await t.call(
      "POST",
      "/users",
      { name: "  Łukasz O'Brien 😀  ", email: "lukasz@example.com", mobile_number: "9876500008" },
      { as: a },
    );
    expect(friend.status).toBe(201);
    expect(friend.body.name).toBe("Łukasz O'Brien 😀");
  });
});

describe("the pages show the same message next to the field", () => {
  it("sign-up with U+0085 in the name", async () => {
    const before = await tableChecksum(t.db);
    const res = await postForm(t, await anonymousSession(t), "/signup", {
      name: "Mallory\u0085Subject: hi",
      email: "mallory@example.com",
      mobile_number: "9876500007",
      password: "tamarind-rickshaw-42",
    });
    expect(res.statusCode).toBe(422);
    expect(pageText(res.body)).toContain(`Name: ${SINGLE_LINE_MESSAGE}.`);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("the profile name with a tab, and a token label with U+2028", async () => {
    const session = await t.pageSession(a);
    const before = await tableChecksum(t.db);
    const profile = await postForm(t, session, "/profile", {
      name: "Asha\tK",
      mobile_number: "9876500006",
    });
    expect(profile.statusCode).toBe(422);
    expect(pageText(profile.body)).toContain(`Name: ${SINGLE_LINE_MESSAGE}.`);
    const token = await postForm(t, session, "/profile/tokens", { label: "laptop\u2028phone" });
    expect(token.statusCode).toBe(422);
    expect(pageText(token.body)).toContain(`Token name: ${SINGLE_LINE_MESSAGE}.`);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("an expense description with a line feed", async () => {
    const session = await t.pageSession(a);
    const before = await tableChecksum(t.db);
    const res = await postForm(t, session, "/app/expenses/new", {
      description: "Dinner\nParty",
      amount: "20",
      date: "2026-11-20",
      paid_by: String(a),
      split_type: "EQUAL",
      row: [String(a), String(b)],
      participant: [String(a), String(b)],
    });
    expect(res.statusCode).toBe(422);
    expect(pageText(res.body)).toContain(`Description: ${SINGLE_LINE_MESSAGE}.`);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("a NUL in the description and a bad amount: both messages, typed values kept (422)", async () => {
    const session = await t.pageSession(a);
    const before = await tableChecksum(t.db);
    const res = await postForm(t, session, "/app/expenses/new", {
      description: "Din\u0000ner",
      amount: "12.345",
      date: "2026-11-20",
      paid_by: String(a),
      split_type: "EQUAL",
      row: [String(a), String(b)],
      participant: [String(a), String(b)],
    });
    // The pages' rule: a form whose fields break the schema or a rule comes back with 422.
    expect(res.statusCode).toBe(422);
    const text = pageText(res.body);
    expect(text).toContain(`Description: ${SINGLE_LINE_MESSAGE}.`);
    expect(text).toContain("Amount: must have at most 2 decimal places.");
    expect(res.body).toContain('value="12.345"');
    expect(await tableChecksum(t.db)).toBe(before);
  });
});
