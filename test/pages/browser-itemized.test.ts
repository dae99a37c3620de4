import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { axeViolations } from "../helpers/axe.js";
import { type BrowserApp, DESKTOP, SCREENSHOTS, startBrowserApp } from "../helpers/browser.js";

/**
 * Issue 15's journey in Chromium, every expense typed into the form: the README's two-payer
 * example, its itemized bill with tax and tip, and its adjustment example; the detail pages show
 * what the rules give, the dashboard and a friend's page the balances they add up to; then the
 * itemized bill is edited through the form. And "By item" without JavaScript.
 */

let b: BrowserApp;
let asha: number;
let bela: number;
let chetan: number;
beforeAll(async () => {
  b = await startBrowserApp();
});
afterAll(async () => b?.close());
beforeEach(async () => {
  await b.t.db.reset();
  // Fixture users are friends with each other: the form lists them.
  asha = await b.t.user("Asha");
  bela = await b.t.user("Bela");
  chetan = await b.t.user("Chetan");
});

/** Fixture names carry their number ("Bela 2"); the form adds " (you)" to the viewer's. */
const nameOf = async (page: Page, id: number) =>
  (await page.locator(`label[for="f-row_${id}"]`).innerText()).replace(" (you)", "").trim();
const rowsOf = (page: Page, table: string) =>
  page
    .locator(`${table} tbody tr`)
    .evaluateAll((rows) =>
      rows.map((r) =>
        (r as unknown as { innerText: string }).innerText.replace(/\s+/g, " ").trim(),
      ),
    );
/** Saves the form; a refusal fails the test with the form's messages. */
const save = async (page: Page, button: string) => {
  const posted = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: button }).click();
  await posted;
  await page.waitForLoadState();
  if (!/\/app\/expenses\/\d+$/.test(page.url()))
    throw new Error(
      `not saved (${page.url()}): ${(await page.locator(".error").allInnerTexts()).join(" | ")}`,
    );
};
/** Each person's share on the detail page: "name ₹share" (without the value entered). */
const sharesOf = (page: Page) =>
  page.locator("table.shares:not(.payers):not(.items) tbody tr").evaluateAll((rows) =>
    rows.map((r) => {
      type Cell = { innerText: string } | null;
      const row = r as unknown as { querySelector(s: string): Cell };
      const text = (cell: Cell) => (cell?.innerText ?? "").trim();
      return `${text(row.querySelector("th"))} ${text(row.querySelector("td:last-child"))}`;
    }),
  );

async function fillItem(page: Page, n: number, what: string, price: string, people: string[]) {
  await page.getByLabel(`Item ${n}`, { exact: true }).fill(what);
  await page.getByLabel(`Price of item ${n} (₹)`, { exact: true }).fill(price);
  for (const who of people)
    await page.getByRole("checkbox", { name: `${who} shares item ${n}`, exact: true }).check();
}

test("two payers, an itemized bill with tax and tip, adjustments: detail pages and balances follow the rules", async () => {
  const context = await b.contextFor(asha);
  const page = await context.newPage();
  await page.goto("/app/expenses/new");
  const [A, B, C] = [
    await nameOf(page, asha),
    await nameOf(page, bela),
    await nameOf(page, chetan),
  ];
  const you = `${A} (you)`;

  // 1. README "Several payers": A paid 20.00 and B 22.00; exact shares 15, 15, 12.
  await page.getByLabel("Description").fill("Taxi");
  await page.getByLabel("Amount", { exact: true }).fill("42");
  await page.getByRole("radio", { name: "Several people paid" }).check();
  await page.getByLabel(`Paid by ${A}`).fill("20");
  await page.getByLabel(`Paid by ${B}`).fill("22");
  expect(await page.locator("[data-paid-left]").innerText()).toBe("₹0.00 left to assign");
  await page.getByRole("radio", { name: "Exact amounts" }).check();
  for (const [id, who] of [
    [bela, B],
    [chetan, C],
  ] as const) {
    await page.getByRole("checkbox", { name: who, exact: true }).check();
    expect(await page.locator(`#f-row_${id}`).isChecked()).toBe(true);
  }
  await page.getByLabel(`Share of ${A}`).fill("15");
  await page.getByLabel(`Share of ${B}`).fill("15");
  await page.getByLabel(`Share of ${C}`).fill("12");
  await save(page, "Add expense");
  expect(await rowsOf(page, "table.payers")).toEqual(["You ₹20.00", `${B} ₹22.00`]);
  expect(await sharesOf(page)).toEqual(["You ₹15.00", `${B} ₹15.00`, `${C} ₹12.00`]);

  // 2. README "ITEMIZED": naan 3.00 for all three, curry 10.01 for A and B, tax 1.30, tip 0.40.
  await page.goto("/app/expenses/new");
  await page.getByLabel("Description").fill("Thali");
  await page.getByLabel("Amount", { exact: true }).fill("14.71");
  const items = page.locator("[data-items]");
  expect(await items.isVisible()).toBe(false);
  await page.getByRole("radio", { name: "By item" }).check();
  expect(await items.isVisible()).toBe(true);
  await fillItem(page, 1, "Naan", "3", [you, B, C]);
  await fillItem(page, 2, "Curry", "10.01", [you, B]);
  const left = page.locator("[data-items-left]");
  expect(await left.innerText()).toBe("₹1.70 left to assign");
  await page.getByLabel("Tax (₹, optional)").fill("1.30");
  await page.getByLabel("Tip (₹, optional)").fill("0.40");
  expect(await left.innerText()).toBe("₹0.00 left to assign");
  // Each share live, by the saving rule (the last paisa of tax and tip to A).
  const share = (id: number) => page.locator(`.participant:has(#f-row_${id}) [data-share]`);
  expect([
    await share(asha).innerText(),
    await share(bela).innerText(),
    await share(chetan).innerText(),
  ]).toEqual(["₹6.80", "₹6.78", "₹1.13"]);
  // The items as shown (labels, nested fieldsets, hidden ticks) pass axe-core.
  expect(await axeViolations(page)).toEqual([]);
  await save(page, "Add expense");
  // After saving: a full-page screenshot just before the click lost the click in Chromium.
  await page.screenshot({ path: path.join(SCREENSHOTS, "itemized-detail.png"), fullPage: true });
  expect(await rowsOf(page, "table.items")).toEqual([
    `Naan You, ${B}, ${C} ₹3.00`,
    `Curry You, ${B} ₹10.01`,
    "Tax ₹1.30",
    "Tip ₹0.40",
  ]);
  expect(await sharesOf(page)).toEqual(["You ₹6.80", `${B} ₹6.78`, `${C} ₹1.13`]);
  const itemizedUrl = page.url();

  // 3. README "ADJUSTMENT": 100 among three with +10, 0, −10 → 43.34, 33.33, 23.33.
  await page.goto("/app/expenses/new");
  await page.getByLabel("Description").fill("Groceries");
  await page.getByLabel("Amount", { exact: true }).fill("100");
  await page.getByRole("checkbox", { name: B, exact: true }).check();
  await page.getByRole("checkbox", { name: C, exact: true }).check();
  await page.getByRole("radio", { name: "With adjustments" }).check();
  await page.getByLabel(`Share of ${A}`).fill("+10");
  await page.getByLabel(`Share of ${B}`).fill("0");
  await page.getByLabel(`Share of ${C}`).fill("−10");
  await save(page, "Add expense");
  expect(await sharesOf(page)).toEqual(["You ₹43.34", `${B} ₹33.33`, `${C} ₹23.33`]);

  // Balances: B owes A 33.33 + 6.78 − 0.72 = 39.39; C owes A 5.72 + 1.13 + 23.33 = 30.18.
  const balances = async (owedByB: string, owedByC: string, total: string) => {
    await page.goto("/app");
    expect(await page.getByTestId("total-owed").innerText()).toBe(total);
    expect(await page.getByTestId("total-owe").innerText()).toBe("₹0.00");
    const row = (id: number) => page.locator(`[data-person="${id}"] .amount`);
    expect(await row(bela).innerText()).toBe(`owes you ${owedByB}`);
    expect(await row(chetan).innerText()).toBe(`owes you ${owedByC}`);
    await page.goto(`/app/friends/${bela}`);
    expect(await page.getByTestId("person-balance").innerText()).toBe(`${B} owes you ${owedByB}`);
  };
  await balances("₹39.39", "₹30.18", "₹69.57");
  // Chetan's side: he owes A 30.18 and B the 6.28 of B's payment for the taxi.
  const chetanContext = await b.contextFor(chetan);
  const chetanPage = await chetanContext.newPage();
  await chetanPage.goto(`/app/friends/${bela}`);
  expect(await chetanPage.getByTestId("person-balance").innerText()).toBe(`You owe ${B} ₹6.28`);
  await chetanContext.close();

  // 4. The itemized bill edited through the form: a tip of 1.40 (amount 15.71). 2.70 over
  // 601 : 600 : 100 → 1.24, 1.24, 0.20 and the 2 paise left to the largest remainders (C, A).
  await page.goto(itemizedUrl);
  await page.getByRole("link", { name: "Edit" }).click();
  await page.waitForURL(/\/edit$/);
  expect(await page.getByRole("radio", { name: "By item" }).isChecked()).toBe(true);
  expect(await page.getByLabel("Item 2", { exact: true }).inputValue()).toBe("Curry");
  expect(
    await page.getByRole("checkbox", { name: `${C} shares item 2`, exact: true }).isChecked(),
  ).toBe(false);
  expect(await share(bela).innerText()).toBe("₹6.78");
  await page.getByLabel("Amount", { exact: true }).fill("15.71");
  await page.getByLabel("Tip (₹, optional)").fill("1.40");
  expect(await left.innerText()).toBe("₹0.00 left to assign");
  expect([
    await share(asha).innerText(),
    await share(bela).innerText(),
    await share(chetan).innerText(),
  ]).toEqual(["₹7.26", "₹7.24", "₹1.21"]);
  await save(page, "Save changes");
  expect(await rowsOf(page, "table.items")).toContain("Tip ₹1.40");
  expect(await sharesOf(page)).toEqual(["You ₹7.26", `${B} ₹7.24`, `${C} ₹1.21`]);
  await balances("₹39.85", "₹30.26", "₹70.11");
  await context.close();
}, 120_000);

test("“By item” without JavaScript: the rows show by CSS alone, and a mistake comes back in place", async () => {
  const context = await b.contextFor(asha, { javaScriptEnabled: false, viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto("/app/expenses/new");
  const B = await nameOf(page, bela);
  const you = `${await nameOf(page, asha)} (you)`;
  await page.getByLabel("Description").fill("Dosa");
  await page.getByLabel("Amount", { exact: true }).fill("250");
  expect(await page.locator("[data-items]").isVisible()).toBe(false);
  await page.getByRole("radio", { name: "By item" }).check();
  expect(await page.locator("[data-items]").isVisible()).toBe(true);
  await fillItem(page, 1, "Masala dosa", "120", [you]);
  await fillItem(page, 2, "Rava dosa", "1,30", [B]);
  await page.getByRole("button", { name: "Add expense" }).click();
  await page.waitForLoadState();
  expect(await page.locator("#e-item_amount_1").innerText()).toContain("digit grouping");
  expect(await page.getByLabel("Price of item 2 (₹)", { exact: true }).inputValue()).toBe("1,30");
  await page.getByLabel("Price of item 2 (₹)", { exact: true }).fill("130");
  await page.getByRole("button", { name: "More item rows" }).click();
  await page.waitForLoadState();
  expect(await page.getByLabel("Item 10", { exact: true }).count()).toBe(1);
  await page.getByRole("button", { name: "Add expense" }).click();
  await page.waitForURL(/\/app\/expenses\/\d+$/);
  expect(await sharesOf(page)).toEqual(["You ₹120.00", `${B} ₹130.00`]);
  await context.close();
}, 60_000);
