import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

const LIMIT = 5;
const ATTEMPTS = 20;
const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
});

async function app(env: Record<string, string>) {
  const t = await startTestApp({ env: { LOGIN_IP_RATE_LIMIT: String(LIMIT), ...env } });
  apps.push(t);
  return t;
}

/**
 * Log-in attempts over the API (injected requests come from socket address 127.0.0.1), each for
 * another unknown email so only the per-IP limit can refuse them: how many were answered (401)
 * rather than refused (429)?
 */
async function answered(t: TestApp, forwardedFor: (i: number) => string | undefined) {
  let count = 0;
  for (let i = 0; i < ATTEMPTS; i++) {
    const xff = forwardedFor(i);
    const res = await t.call(
      "POST",
      "/auth/token",
      { email: `nobody${i}.${Math.random()}@example.com`, password: "wrong-password-1" },
      { headers: xff === undefined ? {} : { "x-forwarded-for": xff } },
    );
    expect([401, 429]).toContain(res.status);
    if (res.status === 401) count++;
  }
  return count;
}

/** What a client sends to look like many people: its own X-Forwarded-For entries. */
const spoofed = (i: number) => `198.51.100.${i + 1}, 192.0.2.${i + 1}`;

describe("the client IP behind proxies (per-IP log-in limit)", () => {
  it("TRUST_PROXY=1: the address the one proxy appended counts, not what the client sent", async () => {
    const t = await app({ TRUST_PROXY: "1" });
    // The proxy (the socket peer, 127.0.0.1) appended the client's real address 203.0.113.7.
    const count = await answered(t, (i) => `${spoofed(i)}, 203.0.113.7`);
    console.log(`TRUST_PROXY=1, spoofed X-Forwarded-For: ${count}/${ATTEMPTS} answered`);
    expect(count).toBe(LIMIT);
    // Another real client behind the same proxy has its own allowance.
    expect(await answered(t, () => "203.0.113.8")).toBe(LIMIT);
  });

  it("TRUST_PROXY=<proxy addresses>: the same, trusting only those peers", async () => {
    const t = await app({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/16" });
    expect(await answered(t, (i) => `${spoofed(i)}, 203.0.113.7, 10.0.3.4`)).toBe(LIMIT);
  });

  it("no TRUST_PROXY: the socket address counts, X-Forwarded-For is ignored", async () => {
    const t = await app({});
    const count = await answered(t, spoofed);
    console.log(`no TRUST_PROXY, spoofed X-Forwarded-For: ${count}/${ATTEMPTS} answered`);
    expect(count).toBe(LIMIT);
  });

  it("refuses TRUST_PROXY=true at start-up and points to the hop count", () => {
    expect(() => loadConfig({ TRUST_PROXY: "true" })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: "true" })).toThrow(
      /TRUST_PROXY: .*number of proxies.*\(1 for one load balancer/,
    );
    for (const bad of ["yes", "-1", "1.5", "999", "10.0.0.0/33", "10.0.0.1,", "example.com"])
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "0" }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: " 127.0.0.1 , ::1,fd00::/8 " }).TRUST_PROXY).toEqual([
      "127.0.0.1",
      "::1",
      "fd00::/8",
    ]);
  });
});
