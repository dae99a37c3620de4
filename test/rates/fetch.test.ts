import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MalformedRates } from "../../src/domain/fx-rates.js";
import { fetchRatesText, RatesFetchFailed, refreshRates } from "../../src/services/fx-rates.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { freePort } from "../helpers/ports.js";
import { type RatesServer, startRatesServer } from "../helpers/rates-server.js";

// Downloading FX_RATES_URL, from a local server serving the fixture files.
describe("downloading the rates", () => {
  let db: TestDatabase;
  let server: RatesServer;
  beforeAll(async () => {
    db = await openTestDatabase({ engine: "server" });
    server = await startRatesServer({ file: "eurofxref-daily.xml" });
  });
  afterAll(async () => {
    await server.close();
    await db.destroy();
  });
  beforeEach(async () => db.reset());

  const count = async () =>
    Number(
      (
        (await db.db.execute(sql`select count(*)::int as n from fx_rates`)) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0]?.n,
    );

  it("stores the daily XML and the history CSV", async () => {
    server.answer = { file: "eurofxref-daily.xml" };
    expect(await refreshRates(db.db, server.url, { timeoutMs: 5000 })).toMatchObject({
      days: 1,
      rates: 8,
      newest: "2024-06-14",
    });
    server.answer = { file: "eurofxref-hist.csv" };
    expect(await refreshRates(db.db, server.url, { timeoutMs: 5000 })).toMatchObject({ days: 3 });
    expect(await count()).toBe(14);
  });

  it("fails clearly on an HTTP error, a stuck or absent server, an oversized or malformed answer, storing nothing", async () => {
    const attempt = (timeoutMs = 5000) => refreshRates(db.db, server.url, { timeoutMs });
    server.answer = { status: 503 };
    await expect(attempt()).rejects.toThrow(`GET ${server.url} answered HTTP 503`);
    server.answer = "hang";
    const t0 = Date.now();
    await expect(attempt(1000)).rejects.toThrow(`GET ${server.url} took longer than 1000 ms`);
    expect(Date.now() - t0).toBeLessThan(4000);
    server.answer = { file: "malformed.xml" };
    await expect(attempt()).rejects.toBeInstanceOf(MalformedRates);
    server.answer = { text: "<html>Service moved</html>" };
    await expect(attempt()).rejects.toBeInstanceOf(MalformedRates);
    server.answer = { file: "eurofxref-hist.xml" };
    await expect(fetchRatesText(server.url, { timeoutMs: 5000, maxBytes: 100 })).rejects.toThrow(
      "the answer is larger than 100 bytes",
    );
    const closed = `http://127.0.0.1:${await freePort()}/rates.xml`;
    const refused = await refreshRates(db.db, closed, { timeoutMs: 5000 }).catch((e) => e);
    expect(refused).toBeInstanceOf(RatesFetchFailed);
    expect(refused.message).toMatch(new RegExp(`^GET ${closed} failed: .*ECONNREFUSED`));
    expect(await count()).toBe(0);
  });
});
