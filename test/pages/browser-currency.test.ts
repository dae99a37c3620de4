import { afterAll, beforeAll, expect, test } from "vitest";
import { type BrowserApp, startBrowserApp } from "../helpers/browser.js";

/**
 * Issue 16 in Chromium: in an INR group, a USD expense with an exchange rate is booked in rupees;
 * the detail page shows the booked amount and what was entered, at which rate.
 */
let b: BrowserApp;
let asha: number;
let bela: number;
beforeAll(async () => {
  b = await startBrowserApp();
  await b.t.db.reset();
  asha = await b.t.user("Asha");
  bela = await b.t.user("Bela");
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
