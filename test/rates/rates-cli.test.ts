import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

// `npm run rates -- FILE` as an operator runs it: a separate process pointed at a database.
describe("npm run rates", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase({ engine: "server" });
  });
  afterAll(async () => db.destroy());

  const run = (...args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: "silent" };
      const p = spawn(process.execPath, ["--import", "tsx", "src/cli/rates.ts", ...args], { env });
      let out = "";
      let err = "";
      p.stdout.on("data", (d) => (out += d));
      p.stderr.on("data", (d) => (err += d));
      p.on("exit", (code) => resolve({ code, out, err }));
    });
  const count = async () =>
    Number(
      (
        (await db.db.execute(sql`select count(*)::int as n from fx_rates`)) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0]?.n,
    );

  it("loads an XML and a CSV file (told apart by their content) and says what it loaded", async () => {
    const xml = await run("test/fixtures/ecb/eurofxref-daily.xml");
    expect(xml.code, xml.err).toBe(0);
    expect(xml.out.trim()).toBe(
      "loaded 8 exchange rate(s) for 2024-06-14 from test/fixtures/ecb/eurofxref-daily.xml (1 EUR in 8 currencies: CHF, CZK, GBP, INR, JPY, SGD, THB, USD)",
    );
    const csv = await run("test/fixtures/ecb/eurofxref-hist.csv");
    expect(csv.code, csv.err).toBe(0);
    expect(csv.out).toContain("loaded 9 exchange rate(s) for 3 days, 2024-06-12 to 2024-06-14");
    expect(await count()).toBe(14);
  });

  it("refuses a bad file with every problem and a non-zero exit, loading nothing", async () => {
    const before = await count();
    const bad = await run("test/fixtures/ecb/malformed.xml");
    expect(bad.code).toBe(1);
    expect(bad.out).toBe("");
    expect(bad.err).toBe(
      "test/fixtures/ecb/malformed.xml: The exchange-rates file is not valid; nothing was loaded\n  Cube[0]: rate for USD is not a positive decimal: 1,0686\n",
    );
    const missing = await run("test/fixtures/ecb/no-such-file.xml");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^cannot read test\/fixtures\/ecb\/no-such-file\.xml: ENOENT/);
    const usage = await run();
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^usage: npm run rates -- FILE/);
    expect(await count()).toBe(before);
  });
});
