import { statSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { todayIn } from "../../src/domain/dates.js";
import { addMonths } from "../../src/services/spending.js";
import { axeViolations } from "../helpers/axe.js";
import { type BrowserApp, DESKTOP, SCREENSHOTS, startBrowserApp } from "../helpers/browser.js";
import { addExpense } from "./steps.js";

/** The phone the issue was measured on. */
const PHONE_844 = { width: 390, height: 844 };

let b: BrowserApp;
let asha: number;
let bela: number;
let chetan: number;
let expenseId = 0;
/** "YYYY-MM" of this month and the two before. */
const months: string[] = [];

beforeAll(async () => {
  b = await startBrowserApp();
  asha = await b.t.user("Asha");
  bela = await b.t.user("Bela");
  chetan = await b.t.user("Chetan");
  // The app's default APP_TIMEZONE decides which month "today" is in.
  const now = todayIn(process.env.APP_TIMEZONE || "Asia/Kolkata").slice(0, 7);
  months.push(now, addMonths(now, -1), addMonths(now, -2));
  const add = async (description: string, amount: string, date: string, participants: number[]) => {
    const res = await b.t.call(
      "POST",
      "/expenses",
      { paid_by: asha, amount, split_type: "EQUAL", participants, description, date },
      { as: asha },
    );
    expect(res.status).toBe(201);
    return res.body.expenseid as number;
  };
  // Two months ago: Asha's share 100 + 50; last month: 200; this month: Bela paid, Asha's 30.
  await add("Groceries", "300", `${months[2]}-05`, [asha, bela, chetan]);
  await add("Chai 100% masala", "100", `${months[2]}-20`, [asha, bela]);
  await add("Train tickets", "600", `${months[1]}-11`, [asha, bela, chetan]);
  const res = await b.t.call(
    "POST",
    "/expenses",
    {
      paid_by: bela,
      amount: "60",
      split_type: "EQUAL",
      participants: [bela, asha],
      description: "Chai and samosa",
      date: `${months[0]}-01`,
    },
    { as: bela },
  );
  expenseId = res.body.expenseid;
});
afterAll(async () => b?.close());

/** Fixture users' names carry a number ("Asha 12"). */
const nameOf = async (id: number) =>
  (await b.t.call("GET", `/users/${id}`, undefined, { as: id })).body.name as string;

const inContext = async (
  userId: number,
  fn: (page: Page, context: BrowserContext) => Promise<void>,
  viewport = DESKTOP,
) => {
  const context = await b.contextFor(userId, { viewport });
  try {
    await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
};

describe("messages after a redirect", () => {
  test("show once: not in the address, gone on reload and when the address is opened again", async () => {
    await inContext(chetan, async (page) => {
      const id = await addExpense(page, {
        description: "Auto fare",
        amount: "90",
        split: "EQUAL",
        participants: [
          { name: await nameOf(chetan) },
          { name: await nameOf(asha), email: b.t.emailOf(asha) },
        ],
      });
      expect(page.url()).toBe(`${b.baseUrl}/app/expenses/${id}`);
      expect(await page.locator(".flash").innerText()).toBe("Expense added.");
      await page.reload();
      expect(await page.locator(".flash").count()).toBe(0);
      await page.goto(`/app/expenses/${id}`);
      expect(await page.locator(".flash").count()).toBe(0);
      // Deleting: the list says so once.
      await page.getByRole("link", { name: "Delete" }).click();
      await page.getByRole("button", { name: /Delete/ }).click();
      await page.waitForURL(/\/app\/expenses$/);
      expect(await page.locator(".flash").innerText()).toBe("Expense deleted.");
      await page.reload();
      expect(await page.locator(".flash").count()).toBe(0);
    });
  });
});

describe("API tokens on the profile", () => {
  test("created by a POST that redirects; the secret shows once, with a copy button", async () => {
    await inContext(asha, async (page, context) => {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], {
        origin: b.baseUrl,
      });
      await page.goto("/profile");
      const before = await page.locator("table.tokens tbody tr").count();
      await page.getByLabel("Token name").fill("laptop");
      await page.getByRole("button", { name: "Create token" }).click();
      await page.waitForURL(/\/profile#h-tokens$/);
      const secret = (await page.locator("#new-token").innerText()).trim();
      expect(secret).toMatch(/^evl_/);
      await page.getByRole("button", { name: "Copy token" }).click();
      await expect.poll(() => page.getByRole("button", { name: "Copied" }).count()).toBe(1);
      expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(secret);
      // The secret works on the API.
      const me = await b.t.app.inject({
        method: "GET",
        url: "/auth/me",
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(me.json().userid).toBe(asha);
      // A reload neither shows it again nor makes a second token.
      await page.reload();
      expect(await page.locator("#new-token").count()).toBe(0);
      expect(await page.content()).not.toContain(secret);
      expect(await page.locator("table.tokens tbody tr").count()).toBe(before + 1);
    });
  });

  test("without JavaScript the secret is plain selectable text and no copy button shows", async () => {
    const context = await b.contextFor(bela, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/profile");
    await page.getByRole("button", { name: "Create token" }).click();
    await page.waitForURL(/\/profile#h-tokens$/);
    expect(await page.locator("#new-token").innerText()).toMatch(/^evl_/);
    expect(await page.getByRole("button", { name: "Copy token" }).count()).toBe(0);
    await context.close();
  });
});

describe("the expense list", () => {
  test("month headings with each month's totals, newest first; search by description", async () => {
    await inContext(asha, async (page) => {
      await page.goto("/app/expenses");
      const headings = await page.locator("h2.month-head .month-name").allInnerTexts();
      expect(headings).toHaveLength(3);
      const totals = await page.getByTestId("month-total").allInnerTexts();
      expect(totals).toEqual([
        "₹60.00 in 1 expense · your share ₹30.00",
        "₹600.00 in 1 expense · your share ₹200.00",
        "₹400.00 in 2 expenses · your share ₹150.00",
      ]);
      // "you lent" / "you borrowed" in words and in colour.
      const lent = page.locator(".part.lent").first();
      const borrowed = page.locator(".part.borrowed").first();
      expect(await lent.innerText()).toMatch(/^you lent ₹/);
      expect(await borrowed.innerText()).toBe("you borrowed ₹30.00");
      const colour = (selector: string) =>
        page.evaluate<string>(`getComputedStyle(document.querySelector("${selector}")).color`);
      expect(await colour(".part.lent")).not.toBe(await colour(".part.borrowed"));
      expect(await colour(".part.lent")).not.toBe(await colour(".meta"));
      // Amounts line up in one right-aligned column.
      const rights = await page
        .locator(".expense-list .amt")
        .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().right)));
      expect(new Set(rights).size).toBe(1);

      await page.getByLabel("Search descriptions").fill("chai");
      await page.getByRole("button", { name: "Show" }).click();
      await page.waitForURL(/q=chai/);
      expect(await page.locator(".expense-list .desc").allInnerTexts()).toEqual([
        "Chai and samosa",
        "Chai 100% masala",
      ]);
      expect(await page.getByLabel("Search descriptions").inputValue()).toBe("chai");
      // A % is a character, not a wildcard.
      await page.goto("/app/expenses?q=100%25");
      expect(await page.locator(".expense-list .desc").allInnerTexts()).toEqual([
        "Chai 100% masala",
      ]);
      await page.goto("/app/expenses?q=nothing-like-this");
      expect(await page.locator(".empty").innerText()).toContain("No expenses match");
    });
  });
});

describe("phone", () => {
  test("on 390×844 the header is one compact bar and Add expense stays on screen", async () => {
    await inContext(
      asha,
      async (page) => {
        await page.goto("/app/expenses");
        const header = await page.locator("header.top").boundingBox();
        expect(header?.height).toBeLessThanOrEqual(100);
        const add = page.locator("header").getByRole("link", { name: "Add expense" });
        expect(await add.isVisible()).toBe(true);
        await page.evaluate("window.scrollTo(0, document.body.scrollHeight)");
        const box = await add.boundingBox();
        expect(box && box.y >= 0 && box.y + box.height <= PHONE_844.height).toBe(true);
        const width = await page.evaluate<number>("document.documentElement.scrollWidth");
        expect(width).toBe(PHONE_844.width);
        await add.click();
        await page.waitForURL(/\/app\/expenses\/new$/);
      },
      PHONE_844,
    );
  });
});

/** Every page a person sees, logged out and in (the expense's own pages included). */
const appPages = () => [
  "/app",
  "/app?simplify=1",
  "/app/expenses",
  "/app/expenses?q=chai",
  "/app/expenses/new",
  `/app/expenses/${expenseId}`,
  `/app/expenses/${expenseId}/edit`,
  `/app/expenses/${expenseId}/delete`,
  "/app/settle",
  "/app/settlements",
  "/profile",
  "/app/no-such-page",
];
const publicPages = ["/login", "/signup", "/password-reset", "/claim?token=unknown"];

describe("axe-core finds no violation on any page", () => {
  test("(the check itself finds faint text and an unlabelled field in the dark scheme)", async () => {
    const page = await b.browser.newPage();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setContent(
      `<html lang="en"><head><title>t</title><style>@media (prefers-color-scheme: dark) { p { color: #333; background: #111 } }</style></head><body><main><h1>t</h1><p>faint</p><input></main></body></html>`,
    );
    const ids = (await axeViolations(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(["color-contrast", "label"]));
    await page.close();
  });
  for (const scheme of ["light", "dark"] as const) {
    test(`in the ${scheme} colour scheme`, async () => {
      const found: { url: string; violations: unknown[] }[] = [];
      const check = async (page: Page, url: string) => {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(url);
        const violations = await axeViolations(page);
        if (violations.length > 0) found.push({ url, violations });
      };
      const anonymous = await b.browser.newContext({ baseURL: b.baseUrl, viewport: DESKTOP });
      const visitor = await anonymous.newPage();
      for (const url of publicPages) await check(visitor, url);
      // A refused log-in: the error summary and the marked fields.
      await visitor.goto("/login");
      await visitor.getByLabel("Email").fill("nobody@example.com");
      await visitor.getByLabel("Password").fill("wrong-password-123");
      await visitor.getByRole("button", { name: "Log in" }).click();
      const refused = await axeViolations(visitor);
      if (refused.length > 0) found.push({ url: "POST /login", violations: refused });
      await anonymous.close();
      await inContext(asha, async (page) => {
        for (const url of appPages()) await check(page, url);
        // A refused expense form.
        await page.goto("/app/expenses/new");
        await page.locator(".actions button[type=submit]").click();
        const form = await axeViolations(page);
        if (form.length > 0) found.push({ url: "POST /app/expenses/new", violations: form });
      });
      expect(found).toEqual([]);
    });
  }
});

describe("screenshots", () => {
  test("phone and desktop, light and dark (looked at by a person, not committed)", async () => {
    for (const [device, viewport] of [
      ["phone", PHONE_844],
      ["desktop", DESKTOP],
    ] as const) {
      await inContext(
        asha,
        async (page) => {
          for (const scheme of ["light", "dark"] as const) {
            await page.emulateMedia({ colorScheme: scheme });
            for (const [name, url] of [
              ["dashboard", "/app"],
              ["expenses", "/app/expenses"],
              ["profile", "/profile"],
            ]) {
              await page.goto(url as string);
              await page.screenshot({
                path: path.join(SCREENSHOTS, `polish-${name}-${device}-${scheme}.png`),
                fullPage: true,
              });
            }
          }
        },
        viewport,
      );
    }
    expect(
      statSync(path.join(SCREENSHOTS, "polish-dashboard-phone-dark.png")).size,
    ).toBeGreaterThan(1000);
  });
});
