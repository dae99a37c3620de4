import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { tableChecksum } from "../helpers/table-checksum.js";
import { anonymousSession, postForm } from "./page-forms.js";

/**
 * The JSON API reads JSON bodies only: any other content type is 415 `unsupported-media-type`
 * (README "Errors"). A `text/plain` body used to reach the route as a string (Fastify's default
 * parser) and came back as a 400 "does not match the schema", even when it held valid JSON.
 * The pages keep taking their urlencoded forms.
 */

let t: TestApp;
let a: number;
let b: number;
beforeAll(async () => {
  t = await startTestApp();
  a = await t.user("Asha");
  b = await t.user("Bela");
});
afterAll(async () => t?.close());

const expense = (): string =>
  JSON.stringify({
    paid_by: a,
    amount: "10",
    split_type: "EQUAL",
    participants: [a, b],
    description: "Tea",
  });

const send = (method: "POST" | "PATCH" | "DELETE", url: string, type: string, payload: string) =>
  t.app.inject({
    method,
    url,
    headers: { ...t.authHeaders(a), "content-type": type },
    payload,
  });

describe("the JSON API with a body that is not JSON", () => {
  it.each([
    ["text/plain", "POST", "/expenses", expense],
    ["text/plain; charset=utf-8", "POST", "/settlements", () => `{"paid_by":1}`],
    ["text/plain", "PATCH", "/users/1/preferences", () => `{"weekly_summary":false}`],
    ["text/plain", "POST", "/groups/import", () => `{"format":"splitwise-csv","data":"x"}`],
    ["text/csv", "POST", "/groups/import", () => "Date,Description\n"],
    ["application/xml", "POST", "/expenses", () => "<expense/>"],
  ] satisfies [string, "POST" | "PATCH", string, () => string][])(
    "%s to %s %s → 415 problem, nothing written",
    async (type, method, url, body) => {
      const before = await tableChecksum(t.db);
      const res = await send(method, url, type, body());
      expect(res.statusCode).toBe(415);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(res.body);
      expect(problem).toMatchObject({ status: 415, title: "Unsupported media type" });
      expect(problem.type).toMatch(/\/unsupported-media-type$/);
      expect(await tableChecksum(t.db)).toBe(before);
    },
  );

  it("the same body as application/json is taken (201)", async () => {
    const res = await send("POST", "/expenses", "application/json", expense());
    expect(res.statusCode).toBe(201);
  });

  // An empty body is no body, whatever type it names (as for application/json).
  it("a DELETE with Content-Type: text/plain and an empty body → 204", async () => {
    const created = JSON.parse(
      (await send("POST", "/expenses", "application/json", expense())).body,
    );
    const res = await send("DELETE", `/expenses/${created.expenseid}`, "text/plain", "");
    expect(res.statusCode).toBe(204);
  });

  it("a POST with Content-Type: text/plain and an empty body → 400, it needs a JSON body", async () => {
    const res = await send("POST", "/expenses", "text/plain", "");
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).detail).toBe("This request needs a JSON body");
  });
});

describe("the pages", () => {
  // What a browser sends for <form enctype="text/plain">: one name=value a line, unencoded.
  const plainForm = (csrf: string) =>
    `_csrf=${csrf}\r\ndescription=Lunch\r\namount=20\r\npaid_by=${a}\r\nsplit_type=EQUAL\r\n`;
  const multipart = (csrf: string) =>
    `--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--b--\r\n`;

  // A page form is read as application/x-www-form-urlencoded only; any other body is a 415 page.
  // A text/plain body used to reach the CSRF check as a string: a 403 "form expired" with the
  // token in it, and with the token in a header the route itself (the expense form again, 422; a
  // failed log-in, 401). JSON reached the routes too; multipart was a 415 in Fastify's words.
  it.each([
    ["text/plain", "/app/expenses/new", "body", plainForm],
    ["text/plain", "/app/expenses/new", "body and a header", plainForm],
    ["text/plain; charset=utf-8", "/app/settle", "body and a header", plainForm],
    ["text/plain", "/login", "body and a header", plainForm],
    ["multipart/form-data; boundary=b", "/app/expenses/new", "body and a header", multipart],
    [
      "application/json",
      "/app/expenses/new",
      "body and a header",
      (csrf) => JSON.stringify({ _csrf: csrf }),
    ],
  ] satisfies [string, string, "body" | "body and a header", (csrf: string) => string][])(
    "%s to %s (CSRF token in the %s) → 415 HTML page saying to send a web form, nothing written",
    async (type, url, token, body) => {
      const session = url === "/login" ? await anonymousSession(t) : await t.pageSession(a);
      const before = await tableChecksum(t.db);
      const res = await t.app.inject({
        method: "POST",
        url,
        headers: {
          cookie: session.cookie,
          "content-type": type,
          ...(token !== "body" ? { "x-csrf-token": session.csrf } : {}),
        },
        payload: body(session.csrf),
      });
      expect(res.statusCode).toBe(415);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.body).toContain("<h1>Not a web form</h1>");
      expect(res.body).toContain("must be sent as a web form");
      expect(await tableChecksum(t.db)).toBe(before);
    },
  );

  it("still take urlencoded forms", async () => {
    const session = await t.pageSession(a);
    const res = await postForm(t, session, "/app/expenses/new", {
      description: "Lunch",
      amount: "20",
      date: "2026-11-20",
      paid_by: String(a),
      split_type: "EQUAL",
      row: [String(a), String(b)],
      participant: [String(a), String(b)],
    });
    expect(res.statusCode).toBe(303);
  });
});
