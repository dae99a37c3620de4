import { afterAll, beforeAll, expect, it } from "vitest";
import { loadSecret, unsubscribeToken } from "../../src/notifications/tokens.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

/**
 * RFC 8058 one-click unsubscribe: mail clients POST `List-Unsubscribe=One-Click`, which the RFC
 * says SHOULD be multipart/form-data and MAY be urlencoded. Both unsubscribe; the body is never
 * needed (the signed token is in the URL), and an oversized one is refused.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const boundary = "----evenly1234";
const multipart = [
  `--${boundary}`,
  'Content-Disposition: form-data; name="List-Unsubscribe"',
  "",
  "One-Click",
  `--${boundary}--`,
  "",
].join("\r\n");

async function prefs(user: number) {
  return (await t.call("GET", `/users/${user}/preferences`, undefined, { as: user })).body;
}

it("a multipart one-click POST unsubscribes, as a urlencoded one does", async () => {
  const [a, b] = [await t.user("Asha"), await t.user("Bela")];
  const secret = await loadSecret(t.db.db, undefined);
  const post = (user: number, topic: "expenses" | "weekly", type: string, payload: string) =>
    t.app.inject({
      method: "POST",
      url: `/unsubscribe?token=${encodeURIComponent(unsubscribeToken(secret, user, topic))}`,
      headers: { "content-type": type },
      payload,
    });
  const res = await post(a, "expenses", `multipart/form-data; boundary=${boundary}`, multipart);
  expect(res.statusCode, res.body).toBe(200);
  expect((await prefs(a)).expense_emails).toBe(false);
  const form = await post(
    b,
    "weekly",
    "application/x-www-form-urlencoded",
    "List-Unsubscribe=One-Click",
  );
  expect(form.statusCode).toBe(200);
  expect((await prefs(b)).weekly_summary).toBe(false);
  expect((await prefs(b)).expense_emails).toBe(true);
  // A body far beyond a one-click form is refused before anything changes.
  const big = await post(
    b,
    "expenses",
    `multipart/form-data; boundary=${boundary}`,
    "x".repeat(5000),
  );
  expect(big.statusCode).toBe(413);
  expect((await prefs(b)).expense_emails).toBe(true);
});
