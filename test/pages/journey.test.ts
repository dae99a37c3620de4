import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type BrowserApp,
  DESKTOP,
  PHONE,
  SCREENSHOTS,
  startBrowserApp,
} from "../helpers/browser.js";
import { addExpense, fillExpense, readDashboard, settleUp } from "./steps.js";

let b: BrowserApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  b = await startBrowserApp();
  // Three people sign up through the sign-up form.
  for (const name of ["Asha", "Bela", "Chetan"])
    ids[name] = await b.signUp(name, `${name.toLowerCase()}@example.com`, "tamarind-rickshaw-42");
});
afterAll(async () => b?.close());

describe("three people share expenses in the browser", () => {
  test("each split type once, balances, simplify, settle up", async () => {
    const asha = await (await b.contextFor(ids.Asha as number)).newPage();
    const bela = await (await b.contextFor(ids.Bela as number)).newPage();
    const chetan = await (await b.contextFor(ids.Chetan as number)).newPage();

    // EQUAL: Asha pays 300 for three → Bela and Chetan owe her 100 each.
    await addExpense(asha, {
      description: "Dinner",
      amount: "300",
      split: "EQUAL",
      participants: [
        { name: "Asha" },
        { name: "Bela", email: "bela@example.com" },
        { name: "Chetan", email: "CHETAN@example.com" },
      ],
    });
    await expect.poll(() => asha.locator("table.shares tbody tr").count()).toBe(3);
    expect(await asha.locator("table.shares").innerText()).toContain("₹100.00");

    // EXACT: Bela pays 250.50: Asha 100.25, Bela 100, Chetan 50.25.
    await addExpense(bela, {
      description: "Tickets",
      amount: "250.50",
      split: "EXACT",
      participants: [
        { name: "Asha", value: "100.25" },
        { name: "Bela", value: "100" },
        { name: "Chetan", value: "50.25" },
      ],
    });

    // PERCENTAGE: Chetan pays 1200: Asha 12.5 %, Bela 87.5 %.
    await addExpense(chetan, {
      description: "Cab",
      amount: "1200",
      split: "PERCENTAGE",
      participants: [
        { name: "Asha", value: "12.5" },
        { name: "Bela", value: "87.5" },
      ],
    });

    // Pairwise: Asha owes Bela 0.25 and Chetan 50; Bela owes Chetan 999.75.
    expect(await readDashboard(asha)).toEqual({
      owe: "₹50.25",
      owed: "₹0.00",
      rows: [
        { name: "Bela", text: "you owe ₹0.25" },
        { name: "Chetan", text: "you owe ₹50.00" },
      ],
    });
    expect(await readDashboard(chetan)).toEqual({
      owe: "₹0.00",
      owed: "₹1,049.75",
      rows: [
        { name: "Asha", text: "owes you ₹50.00" },
        { name: "Bela", text: "owes you ₹999.75" },
      ],
    });
    await chetan.screenshot({
      path: path.join(SCREENSHOTS, "dashboard-desktop.png"),
      fullPage: true,
    });
    await chetan.setViewportSize(PHONE);
    await chetan.screenshot({
      path: path.join(SCREENSHOTS, "dashboard-phone.png"),
      fullPage: true,
    });
    await chetan.setViewportSize(DESKTOP);

    // Simplified (nets: Asha −50.25, Bela −999.50, Chetan +1049.75): two transfers in all,
    // both to Chetan; Asha's transfer to Bela disappears.
    // The plan is worded as transfers.
    expect((await readDashboard(asha, { simplify: true })).rows).toEqual([
      { name: "Chetan", text: "You pay Chetan ₹50.25" },
    ]);
    expect((await readDashboard(bela, { simplify: true })).rows).toEqual([
      { name: "Chetan", text: "You pay Chetan ₹999.50" },
    ]);
    expect((await readDashboard(chetan, { simplify: true })).rows).toEqual([
      { name: "Asha", text: "Asha pays you ₹50.25" },
      { name: "Bela", text: "Bela pays you ₹999.50" },
    ]);
    // The toggle works by clicking it too (the script submits on change).
    await asha.goto("/app");
    await asha.getByLabel("Simplify debts").check();
    await asha.waitForURL(/simplify=1/);
    expect(await asha.getByRole("heading", { name: "Plan: the fewest transfers" }).count()).toBe(1);

    // Asha settles her 50.00 with Chetan from the dashboard: that balance is zero.
    await settleUp(asha, "Chetan");
    expect(await readDashboard(asha)).toEqual({
      owe: "₹0.25",
      owed: "₹0.00",
      rows: [{ name: "Bela", text: "you owe ₹0.25" }],
    });
    expect((await readDashboard(chetan)).rows).toEqual([
      { name: "Bela", text: "owes you ₹999.75" },
    ]);
    await asha.goto("/app/settlements");
    expect(await asha.locator(".settlement-list").innerText()).toMatch(/You paid Chetan\s+₹50\.00/);
  });

  test("a wrong form shows the errors next to the fields and keeps every input", async () => {
    const page = await (await b.contextFor(ids.Asha as number)).newPage();
    await page.goto("/app/expenses/new");
    const form = {
      description: "Groceries",
      amount: "10.005",
      split: "PERCENTAGE" as const,
      participants: [
        { name: "Asha", value: "33" },
        { name: "Bela", value: "33" },
        { name: "Chetan", value: "33" },
      ],
    };
    await fillExpense(page, form);
    await page.waitForLoadState();
    expect(await page.locator("#e-amount").innerText()).toContain(
      "Must have at most 2 decimal places",
    );
    expect(await page.getByLabel("Amount", { exact: true }).getAttribute("aria-invalid")).toBe(
      "true",
    );
    // Everything typed is still there.
    expect(await page.getByLabel("Description").inputValue()).toBe("Groceries");
    expect(await page.getByLabel("Amount", { exact: true }).inputValue()).toBe("10.005");
    expect(await page.getByLabel("Percentages").isChecked()).toBe(true);
    for (const name of ["Asha", "Bela", "Chetan"])
      expect(await page.getByLabel(`Share of ${name}`, { exact: true }).inputValue()).toBe("33");
    await page.screenshot({
      path: path.join(SCREENSHOTS, "expense-form-errors.png"),
      fullPage: true,
    });

    // Fix the amount: now the percentages (99) are refused, still with everything kept.
    await page.getByLabel("Amount", { exact: true }).fill("10.00");
    expect(await page.locator("[data-remaining]").innerText()).toBe("1.00% left to assign");
    await page.locator(".actions button[type=submit]").click();
    await page.locator("#e-participants").waitFor();
    expect(await page.locator("#e-participants").innerText()).toContain(
      "Percentages add up to 99.00, not 100",
    );
    expect(await page.locator(".error-summary").innerText()).toContain("Split between");
    expect(await page.getByLabel("Amount", { exact: true }).inputValue()).toBe("10.00");
    expect(await page.getByLabel("Share of Chetan", { exact: true }).inputValue()).toBe("33");

    // Correct it: saved.
    await page.getByLabel("Share of Chetan", { exact: true }).fill("34");
    expect(await page.locator("[data-remaining]").innerText()).toBe("0.00% left to assign");
    await page.locator(".actions button[type=submit]").click();
    await page.waitForURL(/\/app\/expenses\/\d+$/);
    expect(await page.locator("table.shares").innerText()).toContain("₹3.40");
  });

  test("screenshots of the add-expense form on a desktop and a phone", async () => {
    const context = await b.contextFor(ids.Bela as number);
    const page = await context.newPage();
    await page.goto("/app/expenses/new");
    await page.getByLabel("Description").fill("Movie night");
    await page.getByLabel("Amount", { exact: true }).fill("1000");
    await page.getByLabel("Exact amounts").check();
    await page.getByLabel(/^Asha/).check();
    await page.getByLabel("Share of Asha", { exact: true }).fill("400");
    await page.screenshot({
      path: path.join(SCREENSHOTS, "add-expense-desktop.png"),
      fullPage: true,
    });
    await page.setViewportSize(PHONE);
    await page.screenshot({
      path: path.join(SCREENSHOTS, "add-expense-phone.png"),
      fullPage: true,
    });
    expect(await page.locator("[data-remaining]").innerText()).toBe("₹600.00 left to assign");
  });
});
