import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const load = (env: Record<string, string>) => () => loadConfig({ ...env });

describe("schedules are checked at start-up, not when the worker first schedules", () => {
  it.each([
    ["WEEKLY_SUMMARY_CRON", "99 * * * *"],
    ["WEEKLY_SUMMARY_CRON", "0 9 * * 1 *"],
    ["FX_RATES_CRON", "0 25 * * *"],
    ["FX_RATES_CRON", "every day"],
    ["WEEKLY_SUMMARY_TZ", "Mars/Olympus"],
  ])("%s=%s is refused with the setting's name", (name, value) => {
    expect(load({ [name]: value })).toThrow(ConfigError);
    expect(load({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it("valid values and the defaults load", () => {
    const c = loadConfig({
      WEEKLY_SUMMARY_CRON: "30 8 * * 0",
      FX_RATES_CRON: "*/15 * * * *",
      WEEKLY_SUMMARY_TZ: "UTC",
    });
    expect([c.WEEKLY_SUMMARY_CRON, c.FX_RATES_CRON, c.WEEKLY_SUMMARY_TZ]).toEqual([
      "30 8 * * 0",
      "*/15 * * * *",
      "UTC",
    ]);
    const d = loadConfig({});
    expect([d.WEEKLY_SUMMARY_CRON, d.FX_RATES_CRON, d.WEEKLY_SUMMARY_TZ]).toEqual([
      "0 9 * * 1",
      "0 16 * * *",
      "Asia/Kolkata",
    ]);
  });
});
