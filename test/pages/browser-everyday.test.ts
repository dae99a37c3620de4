import path from "node:path";
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type BrowserApp, DESKTOP, SCREENSHOTS, startBrowserApp } from "../helpers/browser.js";

/**
 * Issue 18 in Chromium: invite from the add-expense form, every error at once, equal shares as
 * they will be saved (with and without JavaScript), and the overpayment question on Settle up.
 */
const PHONE_844 = { width: 390, height: 844 };

let b: BrowserApp;
let asha: number;
let bela: number;
beforeAll(async () => {
  b = await startBrowserApp();
});
afterAll(async () => b?.close());
beforeEach(async () => {
  await b.t.db.reset();
  asha = await b.t.user("Asha");
  bela = await b.t.user("Bela");
});

const shot = async (page: Page, name: string) => {
  for (const [size, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE_844],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
};
const count = async (table: string) =>
  (
    (await b.t.db.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
      rows: { n: number }[];
    }
  ).rows[0]?.n;

describe("add-expense form", () => {
  test("an unknown email is invited by name and added; the equal shares show as saved", async () => {
    const context = await b.contextFor(asha);
    const page = await context.newPage();
    await page.goto("/app/expenses/new");
    await page.getByLabel("Description").fill("Cab to Pune");
    await page.getByLabel("Amount", { exact: true }).fill("1,200.01");
    await page.getByLabel("Add someone by exact email").fill("chetan@example.com");
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole("button", { name: "Add person" }).click(),
    ]);
    // An offer, not an error: the name field is offered (and focused).
    expect(await page.locator("p.flash").innerText()).toContain(
      "Nobody uses chetan@example.com yet",
    );
    expect(await page.locator("#error-summary").count()).toBe(0);
    expect(await page.evaluate<string>("document.activeElement.id")).toBe("f-invite_name");
    await shot(page, "everyday-invite-offer");
    await page.getByLabel("Their name").fill("Chetan");
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole("button", { name: "Invite and add" }).click(),
    ]);
    expect(await page.locator("p.flash").innerText()).toContain("Invited Chetan");
    const chetan = page.getByRole("checkbox", { name: "Chetan" });
    expect(await chetan.isChecked()).toBe(true);
    // Asha and Chetan share ₹1,200.01: the odd paisa goes to the first listed (Asha).
    const shares = page.locator(".participant:has(input[name=participant]:checked) [data-share]");
    expect(await shares.allInnerTexts()).toEqual(["₹600.01", "₹600.00"]);
    expect(await page.locator("[data-value]").first().isVisible()).toBe(false);
    await shot(page, "everyday-invited");
    await page.getByRole("button", { name: "Add expense" }).click();
    await page.waitForURL(/\/app\/expenses\/\d+/);
    const outbox = (await b.t.db.db.execute(
      sql`select count(*)::int as n from outbox where kind = 'account.invitation'`,
    )) as unknown as { rows: { n: number }[] };
    expect(outbox.rows[0]?.n).toBe(1);
    await context.close();
  });

  test("an empty form lists description, amount and the people in one round trip", async () => {
    const context = await b.contextFor(asha);
    const page = await context.newPage();
    await page.goto("/app/expenses/new");
    await page.getByRole("button", { name: "Add expense" }).click();
    await page.waitForLoadState();
    const summary = page.locator("#error-summary li");
    const items = await summary.allInnerTexts();
    expect(items).toHaveLength(3);
    expect(items.join("\n")).toMatch(/Description:/);
    expect(items.join("\n")).toMatch(/Amount:/);
    expect(items.join("\n")).toMatch(/Split between: add at least one other person/);
    await shot(page, "everyday-all-errors");
    expect(await count("expenses")).toBe(0);
    await context.close();
  });

  test("equal shares update live with the saving rule; exact amounts bring the boxes back", async () => {
    const context = await b.contextFor(asha);
    const page = await context.newPage();
    const chetan = await b.t.user("Chetan");
    await page.goto(`/app/expenses/new?with=${bela}`);
    await page.getByRole("checkbox", { name: "Chetan" }).check();
    await page.getByLabel("Amount", { exact: true }).fill("₹100");
    const share = (id: number) =>
      page.locator(`#f-row_${id}`).locator("xpath=../..").locator("[data-share]");
    expect(await share(asha).innerText()).toBe("₹33.34");
    expect(await share(bela).innerText()).toBe("₹33.33");
    expect(await share(chetan).innerText()).toBe("₹33.33");
    expect(await page.getByLabel("Share of Bela").isVisible()).toBe(false);
    await page.getByLabel("Exact amounts").check();
    expect(await page.getByLabel("Share of Bela").isVisible()).toBe(true);
    expect(await share(bela).isVisible()).toBe(false);
    // Saved as shown.
    await page.getByLabel("Equally").check();
    await page.getByLabel("Description").fill("Chai");
    await page.getByRole("button", { name: "Add expense" }).click();
    await page.waitForURL(/\/app\/expenses\/\d+/);
    const saved = await b.t.call("GET", "/expenses/1", undefined, { as: asha });
    expect(
      (saved.body as { participants: { amount: number }[] }).participants.map((p) => p.amount),
    ).toEqual([33.34, 33.33, 33.33]);
    await context.close();
  });

  test("without JavaScript the equal split shows the shares, not boxes reading 0.00", async () => {
    const context = await b.contextFor(asha, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/app/expenses/new?with=${bela}`);
    expect(await page.getByLabel("Share of Bela").isVisible()).toBe(false);
    await page.getByLabel("Amount", { exact: true }).fill("1,00,000.01");
    await page.getByLabel("Add someone by exact email").fill("nobody@example.com");
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole("button", { name: "Add person" }).click(),
    ]);
    // The server's render shows each share as it would be saved.
    const shares = page.locator(".participant:has(input[name=participant]:checked) [data-share]");
    expect(await shares.allInnerTexts()).toEqual(["₹50,000.01", "₹50,000.00"]);
    await page.getByLabel("Exact amounts").check();
    expect(await page.getByLabel("Share of Bela").isVisible()).toBe(true);
    await shot(page, "everyday-nojs-exact");
    await context.close();
  });
});

describe("settle up", () => {
  test("recording more than is owed asks first, then records it", async () => {
    await b.t.call(
      "POST",
      "/expenses",
      {
        paid_by: asha,
        amount: "480.28",
        split_type: "EQUAL",
        participants: [asha, bela],
        description: "Groceries",
      },
      { as: asha },
    );
    const context = await b.contextFor(bela);
    const page = await context.newPage();
    await page.goto(`/app/settle?with=${asha}`);
    await page.getByLabel("Amount", { exact: true }).fill("₹500");
    await page.getByRole("button", { name: "Record payment" }).click();
    await page.waitForLoadState();
    const warning = await page.getByRole("alert").innerText();
    expect(warning).toMatch(
      /You owe Asha[^;]*₹240\.14; paying ₹500\.00 makes Asha[^₹]*owe you ₹259\.86/,
    );
    expect(await count("settlements")).toBe(0);
    await shot(page, "everyday-overpay");
    await page.getByRole("button", { name: "Record anyway" }).click();
    await page.waitForURL(/\/app$/);
    expect(await page.locator("p.flash").innerText()).toContain("Settlement recorded.");
    expect(await count("settlements")).toBe(1);
    // The payment sits in the history with Asha, next to the expense.
    await page.goto(`/app/friends/${asha}`);
    const history = await page.getByTestId("history").innerText();
    expect(history).toContain("Groceries");
    expect(history).toMatch(/You paid Asha[^\n]*\n?[\s\S]*₹500\.00/);
    await shot(page, "everyday-person");
    await page.goto("/app/friends");
    await shot(page, "everyday-friends");
    // Simplify says what it keeps and words the plan as transfers.
    await page.goto("/app?simplify=1");
    expect(await page.getByTestId("simplify-hint").innerText()).toMatch(
      /What stays the same is your net: you are owed ₹259\.86 overall/,
    );
    expect(await page.getByTestId("balances").innerText()).toMatch(/Asha[^\n]* pays you ₹259\.86/);
    await shot(page, "everyday-simplify");
    await context.close();
  });
});
