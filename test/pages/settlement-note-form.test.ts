import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { tableChecksum } from "../helpers/table-checksum.js";
import { pageSuite } from "./page-suite.js";

/**
 * Settle up's optional Note: offered, checked like the API's `note` (every message at once, the
 * values kept), and shown, escaped, wherever the payment is: the history, a person's page, the
 * activity feed and the delete page.
 */
let t: TestApp;
let a: number;
let b: number;

const suite = pageSuite({ users: ["Asha", "Bela"] });
beforeEach(async () => {
  t = suite.t;
  [a, b] = suite.users;
  // Bela owes Asha ₹150.00.
  const res = await t.call(
    "POST",
    "/expenses",
    { paid_by: a, amount: "300", split_type: "EQUAL", participants: [a, b], description: "Cab" },
    { as: a },
  );
  expect(res.status).toBe(201);
});

const { get, post } = suite;
const settleForm = (over: Record<string, string> = {}) => ({
  _csrf: "",
  direction: "paid",
  other: String(a),
  amount: "100",
  ...over,
});
const notes = async () =>
  (await t.call("GET", `/users/${b}/settlements`, undefined, { as: b })).body.items.map(
    (s: { note: string | null }) => s.note,
  );

describe("the settle-up form's note", () => {
  test("the form offers an empty, optional Note box", async () => {
    const res = await get("/app/settle", b);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(
      /<label for="f-note">Note, optional<\/label>\s*<textarea id="f-note" name="note" [^>]*><\/textarea>/,
    );
  });

  test("recorded as typed (CR LF as LF, trimmed) and shown escaped wherever the payment is", async () => {
    const res = await post(
      "/app/settle",
      settleForm({ note: " Cash at the airport\r\n<b>no</b> receipt " }),
      b,
    );
    expect(res.statusCode, res.body).toBe(303);
    expect(await notes()).toEqual(["Cash at the airport\n<b>no</b> receipt"]);
    const shown =
      '<span class="notes" data-testid="settlement-note">Cash at the airport\n&lt;b&gt;no&lt;/b&gt; receipt</span>';
    expect((await get("/app/settlements", b)).body).toContain(shown);
    expect((await get(`/app/friends/${b}`, a)).body).toContain(shown);
    // The feed: one line, in quotes, escaped.
    const feed = (await get("/app/activity", a)).body;
    expect(feed).toContain(
      "recorded a payment of ₹100.00 to you: “Cash at the airport &lt;b&gt;no&lt;/b&gt; receipt”",
    );
    const page = await get("/app/settlements/1/delete", b);
    expect(page.body).toContain(
      '<p class="notes" data-testid="settlement-note">Cash at the airport\n&lt;b&gt;no&lt;/b&gt; receipt</p>',
    );
    // Without a note: nothing extra anywhere.
    expect(
      (await post("/app/settle", settleForm({ amount: "10", note: "  " }), b)).statusCode,
    ).toBe(303);
    expect(await notes()).toEqual([null, "Cash at the airport\n<b>no</b> receipt"]);
    const history = (await get("/app/settlements", b)).body;
    expect(history.match(/data-testid="settlement-note"/g)).toHaveLength(1);
    // A long note is cut short in the feed (the history shows it whole).
    await post("/app/settle", settleForm({ amount: "1", note: "y".repeat(300) }), b);
    expect((await get("/app/activity", a)).body).toContain(`to you: “${"y".repeat(79)}…”`);
  });

  test("a too long note with a tab, no person and no amount: every message at once, the note kept, nothing written", async () => {
    const before = await tableChecksum(t.db);
    const long = `one\ttwo ${"x".repeat(1000)}`;
    const res = await post("/app/settle", settleForm({ other: "", amount: "", note: long }), b);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="e-other"');
    expect(res.body).toContain('id="e-amount"');
    expect(res.body).toContain(
      '<p class="error" id="e-note">Must not contain control characters other than line breaks. Must be at most 1000 characters.</p>',
    );
    // The summary links to it, after the fields above it.
    const start = res.body.indexOf('id="error-summary"');
    const summary = res.body.slice(start, res.body.indexOf("</ul>", start));
    expect(summary).toContain('<a href="#f-note">Note: must be at most 1000 characters.</a>');
    expect(summary.indexOf("#f-amount")).toBeLessThan(summary.indexOf("#f-note"));
    expect(res.body).toMatch(/<textarea id="f-note" name="note" [^>]*aria-invalid="true"/);
    expect(res.body).toContain(`>${long}</textarea>`);
    // A bad note alone is refused too, with the amount and person kept.
    const alone = await post("/app/settle", settleForm({ note: "a\u0000b" }), b);
    expect(alone.statusCode).toBe(422);
    expect(alone.body).toContain('id="e-note"');
    expect(alone.body).not.toContain('id="e-amount"');
    expect(alone.body).toMatch(/<input id="f-amount" name="amount" value="100"/);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  test("paying more than owed: the warning keeps the note, and Record anyway records it", async () => {
    const form = settleForm({ amount: "500", note: "all of it, in cash" });
    const ask = await post("/app/settle", form, b);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain("Record anyway");
    expect(ask.body).toContain(">all of it, in cash</textarea>");
    const confirm = /name="confirm" value="([^"]+)"/.exec(ask.body)?.[1] ?? "";
    const done = await post("/app/settle", { ...form, confirm }, b);
    expect(done.statusCode).toBe(303);
    expect(await notes()).toEqual(["all of it, in cash"]);
  });
});
