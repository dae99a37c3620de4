import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type BrowserApp, startBrowserApp } from "../helpers/browser.js";

/**
 * Issue 16 in Chromium: in an INR group, a USD expense with an exchange rate is booked in rupees;
 * the detail page shows the booked amount and what was entered, at which rate, and its edit form
 * what was typed (saved unchanged, nothing moves). The live preview (split.js) reads and shows
 * money in the chosen currency's digits: a bill by item in yen.
 */
let b: BrowserApp;
let asha: number;
let bela: number;
let chetan: number;
beforeAll(async () => {
  b = await startBrowserApp();
  await b.t.db.reset();
  asha = await b.t.user("Asha");
  bela = await b.t.user("Bela");
  chetan = await b.t.user("Chetan");
});
afterAll(async () => b?.close());

test("a USD expense in an INR group at 83.125: ₹8,312.50, entered as $100.00", async () => {
  const g = await b.t.call(
    "POST",
    "/groups",
    { name: "Goa", members: [bela], currency: "INR" },
    { as: asha },
  );
  expect(g.status).toBe(201);
  const context = await b.contextFor(asha);
  const page = await context.newPage();
  await page.goto(`${b.baseUrl}/app/expenses/new?group=${g.body.groupid}`);
  expect(await page.getByLabel("Currency", { exact: true }).inputValue()).toBe("INR");
  await page.getByLabel("Description").fill("Scuba");
  await page.getByLabel("Amount", { exact: true }).fill("100");
  await page.getByLabel("Currency", { exact: true }).selectOption("USD");
  await page.getByLabel(/Exchange rate/).fill("83.125");
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole("button", { name: "Add expense", exact: true }).click(),
  ]);
  expect(page.url()).toMatch(/\/app\/groups\/\d+$/);
  await page.getByRole("link", { name: "Scuba" }).first().click();
  await page.waitForURL(/\/app\/expenses\/\d+$/);
  await expect(page.locator("p.big").innerText()).resolves.toBe("₹8,312.50");
  await expect(page.getByTestId("expense-original").innerText()).resolves.toBe(
    "Entered as $100.00 at 1 USD = 83.125 INR",
  );
  await context.close();
}, 120_000);

/** Fixture names carry their number ("Bela 2"); the form adds " (you)" to the viewer's. */
const nameOf = async (page: Page, id: number) =>
  (await page.locator(`label[for="f-row_${id}"]`).innerText()).replace(" (you)", "").trim();

test("by item in yen, live: prices, what is left and each share in whole yen", async () => {
  const context = await b.contextFor(asha);
  const page = await context.newPage();
  await page.goto(`${b.baseUrl}/app/expenses/new`);
  const [A, B, C] = [
    await nameOf(page, asha),
    await nameOf(page, bela),
    await nameOf(page, chetan),
  ];
  await page.getByLabel("Description").fill("Izakaya");
  await page.getByLabel("Amount", { exact: true }).fill("1,600");
  await page.getByLabel("Currency", { exact: true }).selectOption("JPY");
  await page.getByRole("radio", { name: "By item" }).check();
  const item = async (n: number, what: string, price: string, people: string[]) => {
    await page.getByLabel(`Item ${n}`, { exact: true }).fill(what);
    // The labels follow the currency chosen.
    await page.getByLabel(`Price of item ${n} (¥)`, { exact: true }).fill(price);
    for (const who of people)
      await page.getByRole("checkbox", { name: `${who} shares item ${n}`, exact: true }).check();
  };
  await item(1, "Ramen", "¥1,000", [`${A} (you)`, B, C]);
  await item(2, "Gyoza", "501.5", [`${A} (you)`, B]);
  const left = page.locator("[data-items-left]");
  expect(await left.innerText()).toBe(
    "Each item needs a price (whole numbers) and someone who shares it",
  );
  await page.getByLabel("Price of item 2 (¥)", { exact: true }).fill("501");
  expect(await left.innerText()).toBe("¥99 left to assign");
  await page.getByLabel("Tax (¥, optional)").fill("99");
  expect(await left.innerText()).toBe("¥0 left to assign");
  // Each share live, as saving gives it (see test/pages/itemized-currency.test.ts).
  const share = (id: number) => page.locator(`.participant:has(#f-row_${id}) [data-share]`);
  const shares = [await share(asha).innerText(), await share(bela).innerText()];
  expect([...shares, await share(chetan).innerText()]).toEqual(["¥624", "¥621", "¥355"]);
  await Promise.all([
    page.waitForURL(/\/app\/expenses\/\d+$/),
    page.getByRole("button", { name: "Add expense", exact: true }).click(),
  ]);
  await expect(page.locator("p.big").innerText()).resolves.toBe("¥1,600");
  await context.close();
}, 120_000);

test("a booked expense opens as typed ($100.00 at 83.125); saved unchanged, nothing moves", async () => {
  const g = await b.t.call(
    "POST",
    "/groups",
    { name: "Kerala", members: [bela, chetan], currency: "INR" },
    { as: asha },
  );
  const made = await b.t.call(
    "POST",
    "/expenses",
    {
      paid_by: asha,
      amount: "100.00",
      currency: "USD",
      exchange_rate: "83.125",
      split_type: "EXACT",
      participants: [asha, bela, chetan],
      split_values: ["33.33", "33.33", "33.34"],
      description: "Houseboat",
      group_id: g.body.groupid,
    },
    { as: asha },
  );
  expect(made.status).toBe(201);
  const id = made.body.expenseid;
  const read = async () => {
    const { version, updated_at, updated_by, ...e } = (
      await b.t.call("GET", `/expenses/${id}`, undefined, { as: asha })
    ).body;
    const balances = await b.t.call("GET", `/groups/${g.body.groupid}/balances`, undefined, {
      as: asha,
    });
    return { version, e, balances: balances.body };
  };
  const before = await read();
  const context = await b.contextFor(asha);
  const page = await context.newPage();
  await page.goto(`${b.baseUrl}/app/expenses/${id}/edit`);
  expect(await page.getByLabel("Amount", { exact: true }).inputValue()).toBe("100.00");
  expect(await page.getByLabel("Currency", { exact: true }).inputValue()).toBe("USD");
  expect(await page.getByLabel(/Exchange rate/).inputValue()).toBe("83.125");
  expect(await page.getByLabel(`Share of ${await nameOf(page, chetan)}`).inputValue()).toBe(
    "33.34",
  );
  expect(await page.locator("[data-remaining]").innerText()).toBe("$0.00 left to assign");
  await Promise.all([
    page.waitForURL(/\/app\/expenses\/\d+$/),
    page.getByRole("button", { name: "Save changes" }).click(),
  ]);
  const after = await read();
  expect(after.version).toBe(before.version + 1);
  expect(after.e).toEqual(before.e);
  expect(after.balances).toEqual(before.balances);
  await context.close();
}, 120_000);
