import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { formValues } from "./form-values.js";
import { pageClient } from "./page-client.js";

/**
 * The odd paise of an equal split go to the first people listed, and the form posts people in
 * page order: the edit form lists the expense's people in its own order, so saving it unchanged
 * moves nothing (it used to list "You" first, then names A–Z, handing the odd paisa to someone
 * else).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());
const { get, post } = pageClient(() => t);

test("saving an API-made equal split unchanged keeps who got the odd paisa", async () => {
  const a = await t.user("Asha");
  const b = await t.user("Bela");
  const c = await t.user("Chandra");
  for (const u of [b, c]) await t.call("POST", "/friends", { email: t.emailOf(u) }, { as: a });
  const made = await t.call(
    "POST",
    "/expenses",
    {
      paid_by: a,
      amount: "100.00",
      split_type: "EQUAL",
      participants: [c, b, a],
      description: "Cab",
    },
    { as: a },
  );
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const id = made.body.expenseid;
  const shares = async () =>
    (await t.call("GET", `/expenses/${id}`, undefined, { as: a })).body.participants.map(
      (p: { userid: number; amount: number }) => [p.userid, p.amount],
    );
  const before = await shares();
  expect(before).toEqual([
    [c, 33.34],
    [b, 33.33],
    [a, 33.33],
  ]);
  const page = await get(`/app/expenses/${id}/edit`, a);
  expect(page.statusCode).toBe(200);
  const form = formValues(page.body, "data-split-form");
  expect(form.row?.slice(0, 3)).toEqual([c, b, a].map(String));
  const saved = await post(`/app/expenses/${id}/edit`, { ...form, action: "save" }, a);
  expect(saved.statusCode, saved.body).toBe(303);
  expect(await shares()).toEqual(before);
});
