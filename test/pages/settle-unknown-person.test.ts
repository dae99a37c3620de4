import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { tableChecksum } from "../helpers/table-checksum.js";
import { pageClient } from "./page-client.js";

/**
 * The settle-up form with a person it cannot be recorded with (a hand-crafted `other`): the 422
 * comes first, never the "More than is owed — record anyway?" step (which used to come first,
 * the 422 only after confirming). A stranger and an id that does not exist get the same answer.
 */
let t: TestApp;
let a: number;
let b: number;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await t.db.reset();
  forget();
  a = await t.user("Asha");
  b = await t.user("Bela");
});

const { post, forget } = pageClient(() => t);
/** The "With" field's message, with the id made generic (ids differ, the words must not). */
const otherMessage = (html: string, id: number) =>
  /id="e-other">([^<]*)</.exec(html)?.[1]?.replace(String(id), "N");

describe("settle up with someone it cannot be recorded with", () => {
  test("a stranger and a nonexistent id: the same 422 at once, no confirmation, nothing written", async () => {
    const stranger = await t.stranger("Zed");
    const before = await tableChecksum(t.db);
    const answers = [];
    for (const id of [stranger, 999_999]) {
      // ₹10 to someone you are square with would be "more than is owed".
      const res = await post(
        "/app/settle",
        { direction: "paid", other: String(id), amount: "10" },
        a,
      );
      expect(res.statusCode, String(id)).toBe(422);
      expect(res.body).not.toContain("Record anyway");
      expect(res.body).not.toContain('name="confirm"');
      expect(res.body).not.toContain("Zed");
      answers.push(otherMessage(res.body, id));
    }
    expect(answers[0]).toMatch(/unknown/);
    expect(answers[1]).toBe(answers[0]);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  test("in a group: someone who is not a member gets the 422, not the confirmation", async () => {
    const c = await t.user("Chetan");
    const g = (await t.call("POST", "/groups", { name: "Trip", members: [b] }, { as: a })).body
      .groupid;
    const before = await tableChecksum(t.db);
    const res = await post(
      "/app/settle",
      { direction: "paid", other: String(c), amount: "10", group_id: String(g) },
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).not.toContain("Record anyway");
    expect(otherMessage(res.body, c)).toMatch(/not a member/);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  test("someone you know still gets the confirmation, and Record anyway records it", async () => {
    const form = { direction: "paid", other: String(b), amount: "10" };
    const ask = await post("/app/settle", form, a);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain("Record anyway");
    const confirm = /name="confirm" value="([^"]+)"/.exec(ask.body)?.[1] ?? "";
    const done = await post("/app/settle", { ...form, confirm }, a);
    expect(done.statusCode).toBe(303);
  });
});
