import { afterAll, beforeAll, expect, test } from "vitest";
import { type BrowserApp, PHONE, startBrowserApp } from "../helpers/browser.js";
import { addExpense, readDashboard } from "./steps.js";

let b: BrowserApp;
let asha: number;
let xss: number;
const XSS_NAME = "<script>alert(1)</script>";

beforeAll(async () => {
  b = await startBrowserApp();
  const reg = async (name: string, email: string) => {
    const res = await b.t.call("POST", "/users", {
      name,
      email,
      mobile_number: "9876500000",
      password: "tamarind-rickshaw-42",
    });
    expect(res.status).toBe(201);
    return res.body.userid as number;
  };
  asha = await b.signUp("Asha", "asha@example.com", "tamarind-rickshaw-42");
  // A hostile name signs up through the API (it is a valid name; the pages must escape it).
  xss = await reg(XSS_NAME, "xss@example.com");
  b.remember(xss, "xss@example.com", "tamarind-rickshaw-42");
});
afterAll(async () => b?.close());

test("without JavaScript: add a person by email, add an expense, see it on the dashboard", async () => {
  const context = await b.contextFor(asha, { javaScriptEnabled: false });
  const page = await context.newPage();
  const id = await addExpense(page, {
    description: "Chai",
    amount: "1,00,000".replaceAll(",", ""),
    split: "EXACT",
    participants: [
      { name: "Asha", value: "40000" },
      { name: XSS_NAME, email: "xss@example.com", value: "60000" },
    ],
  });
  expect(id).toBeGreaterThan(0);
  expect(await page.locator(".big").innerText()).toBe("₹1,00,000.00");
  const dash = await readDashboard(page);
  expect(dash.owed).toBe("₹60,000.00");
  // The Apply button of the simplify toggle is there (and needed) without the script.
  expect(await page.getByRole("button", { name: "Apply" }).isVisible()).toBe(true);
  await page.getByLabel("Simplify debts").check();
  await page.getByRole("button", { name: "Apply" }).click();
  await page.waitForURL(/simplify=1/);
  await context.close();
});

test("a user named <script>…</script> is shown as text, never run", async () => {
  const context = await b.contextFor(asha);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  for (const url of ["/app", "/app/expenses", "/app/expenses/new", "/app/settle"]) {
    await page.goto(url);
    expect(await page.locator("main").innerText()).toContain(XSS_NAME);
    // The only scripts are our static files: no inline script, none from the data.
    const scripts = await page
      .locator("script")
      .evaluateAll((els) => els.map((el) => el.getAttribute("src") ?? `inline: ${el.textContent}`));
    for (const src of scripts) expect(src).toMatch(/^\/static\/\w+\.js\?v=\w+$/);
  }
  await page.goto("/app/expenses");
  await page.getByRole("link", { name: /Chai/ }).click();
  expect(await page.locator("table.shares").innerText()).toContain(XSS_NAME);
  // Their own pages too (the name is in the header).
  const theirs = await (await b.contextFor(xss)).newPage();
  theirs.on("dialog", (d) => dialogs.push(d.message()));
  await theirs.goto("/app");
  expect(await theirs.locator("header .who").innerText()).toBe(XSS_NAME);
  expect(dialogs).toEqual([]);
});

test("a participant who did not add or pay sees Edit and Delete too (issue 15)", async () => {
  // Asha added and paid "Chai" in the first test; the other user only shares it.
  const open = async (userId: number) => {
    const page = await (await b.contextFor(userId)).newPage();
    await page.goto("/app/expenses");
    await page.getByRole("link", { name: /Chai/ }).click();
    await page.waitForURL(/\/app\/expenses\/\d+$/);
    return page;
  };
  const payer = await open(asha);
  expect(await payer.getByRole("link", { name: "Edit" }).count()).toBe(1);
  expect(await payer.getByRole("link", { name: "Delete" }).count()).toBe(1);
  const sharer = await open(xss);
  expect(await sharer.getByRole("link", { name: "Edit" }).count()).toBe(1);
  expect(await sharer.getByRole("link", { name: "Delete" }).count()).toBe(1);
  const res = await sharer.goto(`${sharer.url()}/edit`);
  expect(res?.status()).toBe(200);
  await payer.context().close();
  await sharer.context().close();
});

test("a 360-px phone never needs horizontal scrolling", async () => {
  const context = await b.contextFor(asha, { viewport: PHONE });
  const page = await context.newPage();
  await page.goto("/app/expenses");
  const expense = await page.locator(".expense-list a").first().getAttribute("href");
  for (const url of [
    "/app",
    "/app?simplify=1",
    "/app/expenses",
    "/app/expenses/new",
    `${expense}`,
    `${expense}/edit`,
    `${expense}/delete`,
    "/app/settle",
    "/app/settlements",
  ]) {
    await page.goto(url);
    // Page scripts as strings: the test's TypeScript has no DOM types (the app is not a DOM app).
    const width = await page.evaluate<number>("document.documentElement.scrollWidth");
    expect({ url, width }).toEqual({ url, width: PHONE.width });
  }
});

test("keyboard: the skip link and every control can be reached, focus is visible", async () => {
  const context = await b.contextFor(asha);
  const page = await context.newPage();
  await page.goto("/app/expenses/new");
  await page.keyboard.press("Tab");
  expect(await page.evaluate<string>("document.activeElement.textContent")).toBe("Skip to content");
  expect(await page.evaluate<string>("getComputedStyle(document.activeElement).outlineStyle")).toBe(
    "solid",
  );
  // Every input, select and button of the form has a label (an accessible name).
  const unnamed = await page.evaluate<string[]>(`
    [...document.querySelectorAll("main input:not([type=hidden]), main select, main button")]
      .filter((el) => !el.getAttribute("aria-hidden"))
      .filter((el) => {
        const labelled = el.id && document.querySelector('label[for="' + el.id + '"]');
        return !labelled && !el.closest("label") && !(el.textContent ?? "").trim();
      })
      .map((el) => el.outerHTML)`);
  expect(unnamed).toEqual([]);
});
