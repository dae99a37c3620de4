import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import Fastify, { type FastifyInstance } from "fastify";
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MissingRates } from "../../src/domain/fx-convert.js";
import { MalformedRates } from "../../src/domain/fx-rates.js";
import { registerErrorHandling } from "../../src/http/error-handler.js";
import {
  ConvertedNetBody,
  ConvertToQuery,
  presentConvertedNet,
} from "../../src/http/schemas/conversion.js";
import { convertEach, converterFor, convertTotals } from "../../src/services/conversion.js";
import { loadEcbRates } from "../../src/services/fx-rates.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/ecb/${name}`, import.meta.url), "utf8");

describe.each(["server", "pglite"] as const)("rates table and conversion (%s)", (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase({ engine });
  });
  afterAll(async () => db.destroy());
  beforeEach(async () => db.reset());

  const stored = async () =>
    (
      (await db.db.execute(
        sql`select currency, rate_date::text as day, rate::text as rate from fx_rates order by 1, 2`,
      )) as unknown as { rows: { currency: string; day: string; rate: string }[] }
    ).rows;

  it("loads the daily XML and the history CSV, keeping each day and the exact decimals", async () => {
    expect(await loadEcbRates(db.db, fixture("eurofxref-daily.xml"))).toEqual({
      days: 1,
      rates: 8,
      oldest: "2024-06-14",
      newest: "2024-06-14",
      currencies: ["CHF", "CZK", "GBP", "INR", "JPY", "SGD", "THB", "USD"],
    });
    const hist = await loadEcbRates(db.db, fixture("eurofxref-hist.csv"));
    expect(hist).toMatchObject({ days: 3, rates: 9, oldest: "2024-06-12", newest: "2024-06-14" });
    const rows = await stored();
    expect(rows).toHaveLength(8 + 6); // 2024-06-14 loaded twice: replaced, not doubled
    expect(rows.filter((r) => r.currency === "INR")).toEqual([
      { currency: "INR", day: "2024-06-12", rate: "89.9045" },
      { currency: "INR", day: "2024-06-13", rate: "90.0630" }, // the trailing 0 kept
      { currency: "INR", day: "2024-06-14", rate: "89.2345" },
    ]);
    // A corrected day replaces that day's rate only.
    await loadEcbRates(db.db, "Date,USD,\n2024-06-13,1.07845,\n");
    expect((await stored()).filter((r) => r.currency === "USD").map((r) => r.rate)).toEqual([
      "1.0765",
      "1.07845",
      "1.0686",
    ]);
  });

  it("stores nothing from a bad file, and keeps what was there", async () => {
    await loadEcbRates(db.db, fixture("eurofxref-daily.xml"));
    const before = await stored();
    // The first day is fine, the second has a bad rate: not even the first is stored.
    const bad = "Date,USD,JPY,\n2024-06-17,1.0712,169.01,\n2024-06-18,1.07.1,169.5,\n";
    await expect(loadEcbRates(db.db, bad)).rejects.toBeInstanceOf(MalformedRates);
    await expect(loadEcbRates(db.db, fixture("malformed.xml"))).rejects.toThrow(MalformedRates);
    await expect(loadEcbRates(db.db, "Date,CYP,\n2007-12-31,0.5842,\n")).rejects.toMatchObject({
      issues: [{ field: "file", message: "has no rate of a current currency" }],
    });
    expect(await stored()).toEqual(before);
  });

  it("converts totals at each currency's newest rate; rates_as_of is the oldest one used", async () => {
    await loadEcbRates(db.db, fixture("eurofxref-hist.csv"));
    await loadEcbRates(db.db, fixture("eurofxref-daily.xml"));
    // A later USD rate alone (a partial file): USD's newest is now 2024-06-17.
    await loadEcbRates(db.db, "Date,USD,\n2024-06-17,1.0712,\n");
    // 100.00 USD at 1.0712 + 1000 JPY at 168.16, into INR at 89.2345 (2024-06-14):
    // 8330.3304… + 530.6523… = 8860.9828… → 8860.98, minus 50.00 INR.
    const amounts = [
      { currency: "USD", amount: 10000 },
      { currency: "JPY", amount: 1000 },
      { currency: "INR", amount: -5000 },
    ];
    expect(await convertTotals(db.db, amounts, "INR")).toEqual({
      currency: "INR",
      amount: 886098 - 5000,
      ratesAsOf: "2024-06-14",
    });
    expect(await convertTotals(db.db, [{ currency: "USD", amount: 10712 }], "EUR")).toEqual({
      currency: "EUR",
      amount: 10000,
      ratesAsOf: "2024-06-17",
    });
    // Nothing to convert: no rate needed, none named.
    expect(await convertTotals(db.db, [{ currency: "BRL", amount: 700 }], "BRL")).toEqual({
      currency: "BRL",
      amount: 700,
      ratesAsOf: null,
    });
  });

  it("refuses with MissingRates naming every currency without a rate", async () => {
    const none = convertTotals(db.db, [{ currency: "INR", amount: 100 }], "EUR");
    await expect(none).rejects.toEqual(new MissingRates(["INR"], "EUR"));
    await loadEcbRates(db.db, fixture("eurofxref-daily.xml"));
    const err = await convertTotals(
      db.db,
      [
        { currency: "BRL", amount: 100 },
        { currency: "USD", amount: 100 },
        { currency: "KWD", amount: 0 }, // zero: needs no rate
      ],
      "AUD",
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingRates);
    expect((err as MissingRates).currencies).toEqual(["AUD", "BRL"]);
    expect((err as MissingRates).message).toBe(
      "No exchange rate for AUD, BRL: cannot convert to AUD",
    );
  });

  it("converts many lists with one read of the rates", async () => {
    await loadEcbRates(db.db, fixture("eurofxref-daily.xml"));
    db.statements.count = 0;
    db.statements.enabled = true;
    const convert = await converterFor(db.db, ["USD", "JPY", "GBP"], "EUR");
    const members = [
      [{ currency: "USD", amount: 10686 }],
      [{ currency: "JPY", amount: 16816 }],
      [
        { currency: "GBP", amount: -84375 },
        { currency: "EUR", amount: 50 },
      ],
    ].map(convert);
    db.statements.enabled = false;
    expect(db.statements.count).toBe(1);
    expect(members.map((m) => m.amount)).toEqual([10000, 10000, -99950]);
    expect(() => convert([{ currency: "CHF", amount: 1 }])).toThrow(/given an amount in CHF/);
  });

  it("converts each of several lists with one read, naming every missing rate at once", async () => {
    await loadEcbRates(db.db, fixture("eurofxref-daily.xml"));
    db.statements.count = 0;
    db.statements.enabled = true;
    const lists = [
      [{ currency: "USD", amount: 10686 }],
      [
        { currency: "JPY", amount: 16816 },
        { currency: "BRL", amount: 0 }, // zero: needs no rate
      ],
      [],
    ];
    const each = await convertEach(db.db, lists, "EUR");
    db.statements.enabled = false;
    expect(db.statements.count).toBe(1);
    expect(each).toEqual({ currency: "EUR", amounts: [10000, 10000, 0], ratesAsOf: "2024-06-14" });
    // The first list lacks BRL's rate, the second AUD's: both are named.
    const err = await convertEach(
      db.db,
      [[{ currency: "BRL", amount: 1 }], [{ currency: "AUD", amount: -1 }]],
      "EUR",
    ).catch((e: unknown) => e);
    expect(err).toEqual(new MissingRates(["AUD", "BRL"], "EUR"));
    expect(await convertEach(db.db, [[], []], "BRL")).toEqual({
      currency: "BRL",
      amounts: [0, 0],
      ratesAsOf: null,
    });
  });
});

// The query piece and the error as the balance routes will use them: a route with the app's
// validator and error handling, on the real database.
describe("convert_to over HTTP", () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await openTestDatabase({ engine: "pglite" });
    await loadEcbRates(db.db, fixture("eurofxref-daily.xml"));
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    app.withTypeProvider<ZodTypeProvider>().get(
      "/totals",
      {
        schema: { querystring: ConvertToQuery, response: { 200: ConvertedNetBody.nullable() } },
      },
      async (req) => {
        const to = req.query.convert_to;
        const nets = [
          { currency: "INR", amount: 835060 },
          { currency: "BRL", amount: req.headers["x-brl"] ? 100 : 0 },
        ];
        return to ? presentConvertedNet(await convertTotals(db.db, nets, to)) : null;
      },
    );
  });
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  const get = (query: string, headers: Record<string, string> = {}) =>
    app.inject({ method: "GET", url: `/totals${query}`, headers });

  it("adds the converted total with rates_as_of", async () => {
    const res = await get("?convert_to=USD");
    expect(res.statusCode).toBe(200);
    // 8350.60 INR = 100.0000… USD.
    expect(res.json()).toEqual({ currency: "USD", net: 100, rates_as_of: "2024-06-14" });
    expect((await get("?convert_to=JPY")).json()).toMatchObject({ net: 15736 }); // 15736.47…
    expect((await get("")).json()).toBeNull();
  });

  it("answers 400 for a malformed code and 422 naming a currency without a rate", async () => {
    for (const bad of ["eur", "EURO", "XYZ", ""]) {
      const res = await get(`?convert_to=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().errors[0].field).toBe("convert_to");
    }
    expect((await get("?convert_to=XYZ")).json().errors[0].message).toBe(
      "XYZ is not an ISO 4217 currency code",
    );
    const noTarget = await get("?convert_to=AUD");
    expect(noTarget.statusCode).toBe(422);
    expect(noTarget.json()).toMatchObject({
      type: expect.stringMatching(/rule-violation$/),
      detail: "No exchange rate for AUD: cannot convert to AUD",
      errors: [{ field: "convert_to", message: "no exchange rate for AUD" }],
    });
    const noSource = await get("?convert_to=EUR", { "x-brl": "1" });
    expect(noSource.statusCode).toBe(422);
    expect(noSource.json().errors).toEqual([
      { field: "convert_to", message: "no exchange rate for BRL" },
    ]);
  });
});
