import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { startTestApp, type TestApp } from "./app.js";

/** Debian's chromium (installed by .ci/run); playwright-core never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve("test-artifacts/screenshots");

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export interface BrowserApp {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser profile logged in as `userId` (test cookie; real sign-up replaces it). */
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
  const t = await startTestApp({ testActorCookie: true });
  const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
  const browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t,
    baseUrl: address,
    browser,
    async contextFor(userId, opts = {}) {
      const context = await browser.newContext({
        baseURL: address,
        viewport: opts.viewport ?? DESKTOP,
        javaScriptEnabled: opts.javaScriptEnabled ?? true,
      });
      await context.addCookies([{ name: "test_actor", value: String(userId), url: address }]);
      return context;
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}
