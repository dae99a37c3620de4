import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { axeViolations } from "../helpers/axe.js";
import { type BrowserApp, DESKTOP, SCREENSHOTS, startBrowserApp } from "../helpers/browser.js";

/**
 * Issue 14 in Chromium: three people run a trip in a group — create it, add two expenses from
 * its page, read the simplified plan, each debtor settles up along it with the page's "Settle up"
 * button, and the group shows everyone settled. axe-core on the group pages, light and dark.
 */
const PHONE_844 = { width: 390, height: 844 };

let b: BrowserApp;
let asha: number;
let bela: number;
let chetan: number;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  b = await startBrowserApp();
  await b.t.db.reset();
  asha = await b.t.user("Asha");
  bela = await b.t.user("Bela");
  chetan = await b.t.user("Chetan");
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await b?.close();
});

const pageOf = async (userId: number) => {
  const context = await b.contextFor(userId);
  contexts.push(context);
  return context.newPage();
};
const shot = async (page: Page, name: string) => {
  for (const [size, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE_844],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({
      path: path.join(SCREENSHOTS, `groups-${name}-${size}.png`),
      fullPage: true,
    });
  }
  await page.setViewportSize(DESKTOP);
};
const click = async (page: Page, name: string, role: "button" | "link" = "button") =>
  Promise.all([
    page.waitForNavigation(),
    page.getByRole(role, { name, exact: true }).first().click(),
  ]);
const nets = (page: Page) => page.locator("[data-testid=group-members] [data-net]").allInnerTexts();

let groupUrl = "";

describe("a trip in a group, in Chromium", () => {
  test("create the group, add two expenses from its page, read the simplified plan", async () => {
    const page = await pageOf(asha);
    await page.goto("/app");
    await click(page, "New group", "link");
    await page.getByLabel("Name").fill("Goa trip");
    await page.getByRole("checkbox", { name: /Bela/ }).check();
    await page.getByRole("checkbox", { name: /Chetan/ }).check();
    expect(await page.getByRole("checkbox", { name: "Simplify debts" }).isChecked()).toBe(true);
    await shot(page, "new");
    await click(page, "Create group");
    expect(page.url()).toMatch(/\/app\/groups\/\d+$/);
    groupUrl = new URL(page.url()).pathname;
    expect(await page.locator("p.flash").innerText()).toBe("Group created.");

    // Asha pays the villa, ₹3,000 for three.
    await click(page, "Add expense to Goa trip", "link");
    expect(await page.getByTestId("expense-group").innerText()).toContain("Goa trip");
    for (const name of [/Asha/, /Bela/, /Chetan/])
      expect(await page.getByRole("checkbox", { name }).isChecked()).toBe(true);
    await page.getByLabel("Description").fill("Villa");
    await page.getByLabel("Amount", { exact: true }).fill("3,000");
    await page.getByRole("button", { name: "Add expense" }).click();
    await page.waitForURL(`**${groupUrl}`);
    // Bela pays the taxi, ₹900 for three.
    await click(page, "Add expense to Goa trip", "link");
    await page.getByLabel("Description").fill("Taxi");
    await page.getByLabel("Amount", { exact: true }).fill("900");
    await page.getByLabel("Paid by", { exact: true }).selectOption(String(bela));
    await page.getByRole("button", { name: "Add expense" }).click();
    await page.waitForURL(`**${groupUrl}`);

    // Asha +3,000 − 1,000 − 300 = +1,700; Bela −1,000 + 600 = −400; Chetan −1,300.
    expect(await nets(page)).toEqual(["is owed ₹1,700.00", "owes ₹400.00", "owes ₹1,300.00"]);
    const plan = await page.getByTestId("group-plan").locator("li .name").allInnerTexts();
    expect(plan.map((x) => x.replace(/ \d+/g, ""))).toEqual(["Bela pays you", "Chetan pays you"]);
    expect(await page.getByTestId("group-plan").innerText()).toContain("₹1,300.00");
    expect(await page.getByTestId("group-expenses").locator(".desc").allInnerTexts()).toEqual([
      "Taxi",
      "Villa",
    ]);
    expect(await page.getByRole("img", { name: /Each member's net in Goa trip/ }).count()).toBe(1);
    await shot(page, "plan");
  });

  test("each debtor settles up along the plan; the group shows everyone settled", async () => {
    for (const [who, amount] of [
      [bela, "400.00"],
      [chetan, "1300.00"],
    ] as const) {
      const page = await pageOf(who);
      await page.goto(groupUrl);
      const settle = page.getByTestId("group-plan").getByRole("link", { name: /^Settle up/ });
      expect(await settle.count()).toBe(1);
      await Promise.all([page.waitForNavigation(), settle.click()]);
      expect(await page.getByLabel("Amount", { exact: true }).inputValue()).toBe(amount);
      expect(await page.getByRole("radio", { name: "I paid them" }).isChecked()).toBe(true);
      if (who === bela) await shot(page, "settle");
      await page.getByRole("button", { name: "Record payment" }).click();
      await page.waitForURL(`**${groupUrl}`);
      expect(await page.locator("p.flash").innerText()).toBe("Settlement recorded.");
    }
    const page = await pageOf(asha);
    await page.goto(groupUrl);
    expect(await nets(page)).toEqual([
      "settled up: ₹0.00",
      "settled up: ₹0.00",
      "settled up: ₹0.00",
    ]);
    expect(await page.getByTestId("all-settled").innerText()).toContain("Everyone is settled up");
    const rows = await b.t.call("GET", `${groupUrl.replace("/app", "")}/settlements`, undefined, {
      as: asha,
    });
    expect(rows.body.items).toHaveLength(2);
    await shot(page, "settled");
    await page.goto(`${groupUrl}/settings`);
    await shot(page, "settings");
    await page.goto("/app");
    await shot(page, "dashboard");
  });

  test("axe-core finds no violation on the group pages, light and dark", async () => {
    const flat = await b.t.call("POST", "/groups", { name: "Flat", members: [bela] }, { as: asha });
    const flatUrl = `/app/groups/${flat.body.groupid}`;
    await b.t.call(
      "POST",
      "/expenses",
      {
        paid_by: asha,
        amount: "500.00",
        split_type: "EQUAL",
        participants: [asha, bela],
        description: "Rent share",
        group_id: flat.body.groupid,
      },
      { as: asha },
    );
    const page = await pageOf(asha);
    const found: { url: string; scheme: string; violations: unknown[] }[] = [];
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const url of [
        "/app",
        "/app/groups",
        "/app/groups/new",
        groupUrl,
        `${groupUrl}/settings`,
        flatUrl,
        `/app/settle?group=${groupUrl.split("/").at(-1)}&with=${bela}`,
      ]) {
        await page.goto(url);
        const violations = await axeViolations(page);
        if (violations.length > 0) found.push({ url, scheme, violations });
      }
      // A refused removal: Bela still has a balance in the flat.
      await page.goto(`${flatUrl}/settings`);
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole("button", { name: /^Remove Bela/ }).click(),
      ]);
      expect(await page.locator("#error-summary").innerText()).toMatch(
        /Bela( \d+)? still has a balance in this group: settle up first/,
      );
      const refused = await axeViolations(page);
      if (refused.length > 0) found.push({ url: "remove", scheme, violations: refused });
      if (scheme === "dark") await shot(page, "refused-dark");
    }
    expect(found).toEqual([]);
  });
});
