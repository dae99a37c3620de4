import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { PHONE_MESSAGE } from "../../src/domain/phone.js";
import { type BrowserApp, PHONE, startBrowserApp } from "../helpers/browser.js";

/** Everyday-use issue, item 4, in Chromium: sign up with the mobile number typed with a space. */

let b: BrowserApp;
beforeAll(async () => {
  b = await startBrowserApp();
});
afterAll(async () => b?.close());

test('signing up with "98765 43210" stores the digits and the profile shows it grouped', async () => {
  const context = await b.browser.newContext({ baseURL: b.baseUrl, viewport: PHONE });
  const page = await context.newPage();
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Asha");
  await page.getByLabel("Email").fill("asha@example.com");
  await page.getByLabel("Password").fill("tamarind-rickshaw-42");
  const mobile = page.getByLabel("Mobile number");

  // A letter O for a zero: refused next to the field, with what was typed kept to correct.
  await mobile.fill("98765 4321O");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForLoadState();
  expect(await mobile.getAttribute("aria-invalid")).toBe("true");
  expect(await page.locator("#e-mobile_number").innerText()).toContain(
    PHONE_MESSAGE.replace(/^m/, "M"),
  );
  expect(await mobile.inputValue()).toBe("98765 4321O");

  await mobile.fill("98765 43210");
  await page.getByLabel("Password").fill("tamarind-rickshaw-42");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/app$/);
  const stored = (await b.t.db.db.execute(
    sql`select mobile_number from users where email = 'asha@example.com'`,
  )) as unknown as { rows: { mobile_number: string }[] };
  expect(stored.rows[0]?.mobile_number).toBe("9876543210");

  await page.goto("/profile");
  expect(await page.getByLabel("Mobile number").inputValue()).toBe("98765 43210");
  await context.close();
});
