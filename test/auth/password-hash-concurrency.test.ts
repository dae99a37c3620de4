import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  hashPassword,
  passwordHashing,
  setPasswordHashConcurrency,
  verifyPassword,
} from "../../src/auth/password-hash.js";
import { loadConfig } from "../../src/config.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
});
beforeEach(() => {
  passwordHashing.peak = 0;
});

describe("password hashing concurrency (PASSWORD_HASH_CONCURRENCY)", () => {
  it("defaults to 2 and refuses nonsense", () => {
    expect(loadConfig({}).PASSWORD_HASH_CONCURRENCY).toBe(2);
    expect(loadConfig({ PASSWORD_HASH_CONCURRENCY: "3" }).PASSWORD_HASH_CONCURRENCY).toBe(3);
    for (const bad of ["0", "-1", "1.5", "many"])
      expect(() => loadConfig({ PASSWORD_HASH_CONCURRENCY: bad }), bad).toThrow(
        /PASSWORD_HASH_CONCURRENCY/,
      );
  });

  it("a burst of hashes and verifications never runs more than the bound at once", async () => {
    setPasswordHashConcurrency(2);
    const stored = await hashPassword("burst-password-1");
    passwordHashing.peak = 0;
    const burst = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => hashPassword(`burst-password-${i}`)),
      ...Array.from({ length: 6 }, () => verifyPassword(stored, "burst-password-1")),
      ...Array.from({ length: 4 }, () => verifyPassword(null, "no-such-account")),
    ]);
    console.log(`[hash burst] 16 at once, bound 2: peak ${passwordHashing.peak}`);
    expect(passwordHashing.peak).toBe(2); // they did run side by side, but never more
    expect(passwordHashing.running).toBe(0);
    // Queued work still completes correctly.
    expect(burst.slice(6, 12)).toEqual(Array(6).fill(true));
    expect(burst.slice(12)).toEqual(Array(4).fill(false));
  });

  it("a burst of log-ins through the app queues behind the configured bound", async () => {
    const t = await startTestApp({ env: { PASSWORD_HASH_CONCURRENCY: "1" } });
    apps.push(t);
    const user = await t.user("Gita");
    passwordHashing.peak = 0;
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t
          .call("POST", "/auth/token", { email: t.emailOf(user), password: `wrong-password-${i}` })
          .then((r) => r.status),
      ),
    );
    console.log(`[hash burst] 8 log-ins, bound 1: peak ${passwordHashing.peak}`);
    expect(statuses).toEqual(Array(8).fill(401));
    expect(passwordHashing.peak).toBe(1);
  });
});
