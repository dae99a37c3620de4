import { afterAll, beforeAll, expect, test } from "vitest";
import { type BrowserApp, startBrowserApp } from "../helpers/browser.js";
import { fillExpense } from "./steps.js";

/**
 * In a real Chromium: a Category of 50 emoji (50 characters, as the server counts them, but 100
 * UTF-16 units) is typed whole and saved; a `maxlength="50"` used to stop it at 25.
 */
let b: BrowserApp;
let asha: number;
let bela: number;
beforeAll(async () => {
  b = await startBrowserApp();
  asha = await b.t.user("Asha");
  bela = await b.t.user("Bela");
});
afterAll(async () => b?.close());

const nameOf = async (id: number) =>
  (await b.t.call("GET", `/users/${id}`, undefined, { as: asha })).body.name as string;

test("50 emoji typed into Category are kept and saved", async () => {
  const context = await b.contextFor(asha);
  const page = await context.newPage();
  await page.goto("/app/expenses/new");
  const fifty = "😀".repeat(50);
  const category = page.getByLabel("Category, optional");
  await category.click();
  await page.keyboard.insertText(fifty); // as typing or pasting does: the editor applies maxlength
  expect(await category.inputValue()).toBe(fifty);
  await fillExpense(page, {
    description: "Snacks",
    amount: "20",
    split: "EQUAL",
    participants: [{ name: await nameOf(asha) }, { name: await nameOf(bela) }],
  });
  await page.waitForURL(/\/app\/expenses\/\d+$/);
  await expect(page.getByTestId("expense-category").innerText()).resolves.toBe(fifty);
  const list = await b.t.call("GET", `/users/${bela}/expenses`, undefined, { as: bela });
  expect(list.body.items[0].category).toBe(fifty);
  await context.close();
});
