import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { FIXTURE_PASSWORD, startTestApp, type TestApp } from "./app.js";

/** Debian's chromium (installed by .ci/run); playwright-core never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve("test-artifacts/screenshots");

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export interface BrowserApp {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** Signs up through the /signup form in a fresh profile; returns the new user's id. */
  signUp(name: string, email: string, password: string): Promise<number>;
  /** Tells contextFor how to log in as a user made elsewhere (e.g. through the API). */
  remember(userId: number, email: string, password: string): void;
  /** A fresh browser profile logged in as `userId` through the log-in form. */
  contextFor(
    userId: number,
    opts?: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } },
  ): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  // Fail, never skip: a missing browser must turn the suite red (see .ci/run).
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** The real app on a real socket (port 0) and a real Chromium driving it. */
export async function startBrowserApp(): Promise<BrowserApp> {
  const t = await startTestApp();
  const passwords = new Map<number, { email: string; password: string }>();
  const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
  const browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t,
    baseUrl: address,
    browser,
    remember(userId, email, password) {
      passwords.set(userId, { email, password });
    },
    async signUp(name, email, password) {
      const context = await browser.newContext({ baseURL: address, viewport: DESKTOP });
      const page = await context.newPage();
      await page.goto("/signup");
      await page.getByLabel("Name").fill(name);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Mobile number").fill("+919876500000");
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL(/\/app$/);
      await context.close();
      const me = await t.db.db.execute(
        sql`select id from users where lower(email) = ${email.toLowerCase()}`,
      );
      const id = Number((me as unknown as { rows: { id: number }[] }).rows[0]?.id);
      passwords.set(id, { email, password });
      return id;
    },
    async contextFor(userId, opts = {}) {
      const context = await browser.newContext({
        baseURL: address,
        viewport: opts.viewport ?? DESKTOP,
        javaScriptEnabled: opts.javaScriptEnabled ?? true,
      });
      const login = passwords.get(userId) ?? {
        email: t.emailOf(userId),
        password: FIXTURE_PASSWORD,
      };
      const page = await context.newPage();
      await page.goto("/login");
      await page.getByLabel("Email").fill(login.email);
      await page.getByLabel("Password").fill(login.password);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.waitForURL(/\/app$/);
      await page.close();
      return context;
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}
