import { describe, expect, it } from "vitest";
import { databaseOptions } from "../../src/compose/database.js";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("database pool of each process", () => {
  it("gives npm run worker WORKER_POOL_MAX connections and the web process DB_POOL_MAX", () => {
    const config = loadConfig({ WORKER_POOL_MAX: "2", DB_POOL_MAX: "7" });
    expect(databaseOptions(config, "worker").poolMax).toBe(2);
    expect(databaseOptions(config, "web").poolMax).toBe(7);
    // The defaults keep the earlier sizes: 4 for the worker, 10 for the web process.
    expect(databaseOptions(loadConfig({}), "worker").poolMax).toBe(4);
    expect(databaseOptions(loadConfig({}), "web").poolMax).toBe(10);
  });

  it("refuses a pool size that is not a positive whole number", () => {
    expect(() => loadConfig({ WORKER_POOL_MAX: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ WORKER_POOL_MAX: "two" })).toThrow(/WORKER_POOL_MAX/);
  });
});
