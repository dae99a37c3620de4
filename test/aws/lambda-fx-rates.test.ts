import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MalformedRates } from "../../src/domain/fx-rates.js";
import { closeRatesContext, handler } from "../../src/lambda/fx-rates.js";
import { RatesFetchFailed } from "../../src/services/fx-rates.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { type RatesServer, startRatesServer } from "../helpers/rates-server.js";

// The rates Lambda as deployed (the stack's environment, on the test database), downloading from
// a local server that serves the fixture files. It calls no AWS service.
let db: TestDatabase;
let server: RatesServer;
beforeAll(async () => {
  db = await openTestDatabase({ engine: "server" });
  server = await startRatesServer({ file: "eurofxref-daily.xml" });
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    FX_RATES_URL: server.url,
    FX_RATES_TIMEOUT_MS: "1000",
  });
});
afterAll(async () => {
  await closeRatesContext();
  await server.close();
  await db.destroy();
});
beforeEach(async () => db.reset());

const stored = async () =>
  (
    (await db.db.execute(
      sql`select currency, rate::text as rate from fx_rates order by currency`,
    )) as unknown as { rows: { currency: string; rate: string }[] }
  ).rows;

describe("exchange rates Lambda", () => {
  it("downloads FX_RATES_URL and stores its rates", async () => {
    server.answer = { file: "eurofxref-daily.xml" };
    expect(await handler()).toMatchObject({ days: 1, rates: 8, newest: "2024-06-14" });
    expect(await stored()).toContainEqual({ currency: "INR", rate: "89.2345" });
    expect(await stored()).toHaveLength(8);
  });

  it("fails the invocation (to be retried) and stores nothing when the download fails", async () => {
    server.answer = { status: 500 };
    await expect(handler()).rejects.toBeInstanceOf(RatesFetchFailed);
    server.answer = "hang";
    await expect(handler()).rejects.toThrow("took longer than 1000 ms");
    server.answer = { file: "malformed.xml" };
    await expect(handler()).rejects.toBeInstanceOf(MalformedRates);
    expect(await stored()).toEqual([]);
    // The warm context is still good for the next run.
    server.answer = { file: "eurofxref-hist.csv" };
    expect(await handler()).toMatchObject({ days: 3, rates: 9 });
  });
});
