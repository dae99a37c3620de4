import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { fieldOf, formValues } from "./form-values.js";
import { pageSuite } from "./page-suite.js";

/**
 * Issue 16, Settle up: a group page's button for a transfer carries the transfer's currency, and
 * the settle form opens with that currency and the whole transfer; a `currency` that is not an
 * ISO code is ignored (the form still opens). The dashboard's buttons: currency-dashboard.test.ts.
 */
let t: TestApp;
let a: number;
let b: number;
let group: number;

const suite = pageSuite({ users: ["Asha", "Bela"] });
beforeEach(async () => {
  t = suite.t;
  [a, b] = suite.users;
  const g = await t.call(
    "POST",
    "/groups",
    { name: "Goa", members: [b], currency: "INR" },
    { as: a },
  );
  expect(g.status).toBe(201);
  group = g.body.groupid;
  // Bela owes Asha ₹500.00 and $15.00 in the group (never added together).
  for (const [amount, currency] of [
    ["1000", "INR"],
    ["30", "USD"],
  ] as const) {
    const res = await t.call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount,
        currency,
        split_type: "EQUAL",
        participants: [a, b],
        description: `in ${currency}`,
        group_id: group,
      },
      { as: a },
    );
    expect(res.status).toBe(201);
  }
});

const { get, post } = suite;
const settleForm = async (url: string) => {
  const page = await get(url, a);
  expect(page.statusCode).toBe(200);
  return formValues(page.body, 'class="settle-form"');
};

describe("from the group page", () => {
  test("each transfer's Settle up names its currency; the form opens with it, amount whole", async () => {
    const page = await get(`/app/groups/${group}`, a);
    const links = [...page.body.matchAll(/href="(\/app\/settle\?[^"]+)"/g)].map((m) =>
      (m[1] as string).replaceAll("&amp;", "&"),
    );
    const usd = `/app/settle?group=${group}&with=${b}&currency=USD`;
    expect(links).toEqual(
      expect.arrayContaining([`/app/settle?group=${group}&with=${b}&currency=INR`, usd]),
    );
    const form = await settleForm(usd);
    expect(
      ["currency", "amount", "direction", "other", "group_id"].map((k) => fieldOf(form, k)),
    ).toEqual(["USD", "15.00", "received", String(b), String(group)]);
    // Recorded as prefilled: the dollars are settled, the rupees still owed.
    const res = await post("/app/settle", { ...form, _csrf: "" }, a);
    expect(res.statusCode, res.body).toBe(303);
    const left = await t.call("GET", `/groups/${group}/balances`, undefined, { as: a });
    expect(left.body.balances).toEqual([
      { from_user: b, to_user: a, amount: 500, currency: "INR" },
    ]);
  });

  test("a currency that is not an ISO code is ignored: the group's, with its transfer", async () => {
    for (const bad of ["usd", "XYZ", "US", "%3Cb%3E", ""]) {
      const form = await settleForm(`/app/settle?group=${group}&with=${b}&currency=${bad}`);
      expect([fieldOf(form, "currency"), fieldOf(form, "amount")], bad).toEqual(["INR", "500.00"]);
    }
    const twice = await settleForm(
      `/app/settle?group=${group}&with=${b}&currency=USD&currency=EUR`,
    );
    expect(fieldOf(twice, "currency")).toBe("INR");
  });

  test("a currency with nothing owed in it: preselected, the amount left to type", async () => {
    const form = await settleForm(`/app/settle?group=${group}&with=${b}&currency=EUR`);
    expect([fieldOf(form, "currency"), fieldOf(form, "amount")]).toEqual(["EUR", ""]);
  });
});
