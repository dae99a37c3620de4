import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

test("every page links a versioned SVG favicon, cached for a year; /favicon.ico leads to it", async () => {
  const page = await t.app.inject({ method: "GET", url: "/login" });
  const href = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)">/.exec(page.body)?.[1];
  expect(href).toMatch(/^\/static\/favicon\.svg\?v=[0-9a-f]{12}$/);
  expect(page.body).toContain('<meta name="color-scheme" content="light dark">');
  const icon = await t.app.inject({ method: "GET", url: href as string });
  expect(icon.statusCode).toBe(200);
  expect(icon.headers["content-type"]).toMatch(/^image\/svg\+xml/);
  expect(icon.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  const ico = await t.app.inject({ method: "GET", url: "/favicon.ico" });
  expect(ico.statusCode).toBe(301);
  expect(ico.headers.location).toBe(href);
});
