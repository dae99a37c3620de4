import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DESKTOP, launchChromium } from "../helpers/browser.js";
import { type MailApp, startMailApp } from "../helpers/mail-app.js";

/** "Forgot password" in a real Chromium, with the mail going through the real SMTP pipeline. */

let m: MailApp;
let browser: Browser;
let baseUrl: string;
const EMAIL = "nandini@example.com";

beforeAll(async () => {
  m = await startMailApp();
  baseUrl = await m.app.listen({ port: 0, host: "127.0.0.1" });
  browser = await launchChromium();
  const res = await m.app.inject({
    method: "POST",
    url: "/users",
    payload: {
      name: "Nandini",
      email: EMAIL,
      mobile_number: "9876500000",
      password: "tamarind-rickshaw-42",
    },
  });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await m?.close();
});

test("forgot password: log-in page → mail → new password → log in with it", async () => {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByRole("button", { name: "Mail me a link" }).click();
  await expect
    .poll(() => page.getByRole("heading", { level: 1 }).innerText())
    .toBe("Check your mail");

  await m.smtp.waitFor(1);
  const link = /http:\/\/evenly\.test(\/password-reset\/confirm\?token=[A-Za-z0-9_-]+)/.exec(
    m.smtp.mails[0]?.text ?? "",
  );
  expect(link).not.toBeNull();
  await page.goto(link?.[1] ?? "");
  await page.getByLabel("New password", { exact: true }).fill("monsoon-chai-kettle-77");
  await page.getByLabel("New password again").fill("monsoon-chai-kettle-78");
  await page.getByRole("button", { name: "Set password" }).click();
  expect(await page.locator("#e-password_confirmation").innerText()).toBe(
    "Does not match the password.",
  );

  await page.getByLabel("New password", { exact: true }).fill("monsoon-chai-kettle-77");
  await page.getByLabel("New password again").fill("monsoon-chai-kettle-77");
  await page.getByRole("button", { name: "Set password" }).click();
  await page.waitForURL(/\/login$/);
  expect(await page.locator(".flash").innerText()).toContain("Your password is set");

  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill("monsoon-chai-kettle-77");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/app$/);
  await context.close();
});
