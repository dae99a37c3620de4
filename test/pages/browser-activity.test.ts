import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { axeViolations } from "../helpers/axe.js";
import { type BrowserApp, DESKTOP, startBrowserApp } from "../helpers/browser.js";

/**
 * Issue 15 in Chromium, without JavaScript: delete an expense, open Activity from the nav,
 * Restore it, and the dashboard's balance is back. axe-core on the feed, light and dark.
 */

let b: BrowserApp;
let asha: number;
let bela: number;
let chetan: number;

beforeAll(async () => {
  b = await startBrowserApp();
  asha = await b.t.user("Asha");
  bela = await b.t.user("Bela");
  chetan = await b.t.user("Chetan");
});
afterAll(async () => b?.close());

async function pageOf(userId: number, javaScriptEnabled = false): Promise<Page> {
  const context = await b.contextFor(userId, { javaScriptEnabled, viewport: DESKTOP });
  return context.newPage();
}
const owed = async (page: Page) => {
  await page.goto("/app");
  return page.getByTestId("total-owed").innerText();
};

describe("activity and undo in the browser", () => {
  test("delete an expense, Restore it from Activity: the dashboard balance is back", async () => {
    const res = await b.t.call(
      "POST",
      "/expenses",
      {
        paid_by: asha,
        amount: "300",
        split_type: "EQUAL",
        participants: [asha, bela, chetan],
        description: "Tickets",
      },
      { as: asha },
    );
    expect(res.status).toBe(201);
    const id = res.body.expenseid as number;
    const page = await pageOf(asha);
    expect(await owed(page)).toBe("₹200.00");
    await page.goto(`/app/expenses/${id}/delete`);
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole("button", { name: "Delete expense" }).click(),
    ]);
    expect(await owed(page)).toBe("₹0.00");
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole("link", { name: "Activity" }).click(),
    ]);
    expect(await page.getByTestId("activity").innerText()).toContain("You deleted “Tickets”");
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole("link", { name: "Restore this expense" }).click(),
    ]);
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole("button", { name: "Restore expense" }).click(),
    ]);
    expect(new URL(page.url()).pathname).toBe(`/app/expenses/${id}`);
    expect(await page.locator(".flash").innerText()).toContain("Expense restored");
    expect(await owed(page)).toBe("₹200.00");
    await page.context().close();
  });

  test("axe-core finds no violation on the feed and a deleted expense, light and dark", async () => {
    const res = await b.t.call(
      "POST",
      "/expenses",
      {
        paid_by: bela,
        amount: "90",
        split_type: "EQUAL",
        participants: [asha, bela],
        description: "Cab",
      },
      { as: bela },
    );
    const id = res.body.expenseid as number;
    await b.t.call("DELETE", `/expenses/${id}`, undefined, { as: bela });
    // axe-core runs as a script in the page.
    const page = await pageOf(asha, true);
    const found: { url: string; scheme: string; violations: unknown[] }[] = [];
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const url of ["/app/activity", `/app/expenses/${id}/deleted`]) {
        await page.goto(url);
        const violations = await axeViolations(page);
        if (violations.length > 0) found.push({ url, scheme, violations });
      }
    }
    expect(found).toEqual([]);
    await page.context().close();
  });
});
