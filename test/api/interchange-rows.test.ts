import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { tableChecksum } from "../helpers/table-checksum.js";
import { pageClient } from "../pages/page-client.js";

/**
 * IMPORT_MAX_ROWS: a file with more expense and settlement rows than that is refused (422, dry
 * run too, nothing written) before its rows are read; one with exactly that many imports.
 */
const MAX = 5;

let t: TestApp;
let a: number;
let b: number;
const suite = appSuite({ users: ["A", "B"], env: { IMPORT_MAX_ROWS: String(MAX) } });
beforeEach(() => {
  t = suite.t;
  [a, b] = suite.users;
});

const counts = async () =>
  (
    (await t.db.db.execute(
      sql`select (select count(*) from groups) g, (select count(*) from group_members) m, (select count(*) from imports) i`,
    )) as unknown as { rows: unknown[] }
  ).rows;
const snapshot = async () => `${await tableChecksum(t.db)}|${JSON.stringify(await counts())}`;

/** `rows` rows between Asha and Ravi: every third a settlement (Ravi pays Asha), else expenses. */
const isSettlement = (i: number) => i % 3 === 2;

function splitwiseFile(rows: number): string {
  const lines = ["Date,Description,Category,Cost,Currency,Asha,Ravi"];
  let asha = 0;
  for (let i = 0; i < rows; i++) {
    if (isSettlement(i)) {
      lines.push(`2024-01-02,Ravi paid Asha,Payment,1.00,INR,-1.00,1.00`);
      asha -= 100;
    } else {
      lines.push(`2024-01-01,Dinner ${i},,10.00,INR,5.00,-5.00`);
      asha += 500;
    }
  }
  const rupees = (paise: number) => (paise / 100).toFixed(2);
  lines.push("", `2024-01-03,Total balance,,,INR,${rupees(asha)},${rupees(-asha)}`);
  return `${lines.join("\n")}\n`;
}

function evenlyFile(rows: number): string {
  const indexes = Array.from({ length: rows }, (_, i) => i);
  return JSON.stringify({
    format_version: 1,
    group: { name: "G", currency: "INR" },
    members: [
      { name: "Asha", email: null },
      { name: "Ravi", email: null },
    ],
    expenses: indexes
      .filter((i) => !isSettlement(i))
      .map((i) => ({
        date: "2024-01-01",
        description: `Dinner ${i}`,
        category: null,
        note: null,
        currency: "INR",
        amount: "10.00",
        payers: [{ member: "Asha", amount: "10.00" }],
        shares: [
          { member: "Asha", amount: "5.00" },
          { member: "Ravi", amount: "5.00" },
        ],
        split: { type: "EQUAL", values: null, items: null, tax: "0.00", tip: "0.00" },
        original: null,
      })),
    settlements: indexes.filter(isSettlement).map(() => ({
      date: "2024-01-02",
      from: "Ravi",
      to: "Asha",
      amount: "1.00",
      currency: "INR",
      note: null,
    })),
  });
}

/** Spliit: each row an expense; every third a reimbursement (a settlement once imported). */
function spliitFile(rows: number): string {
  return JSON.stringify({
    name: "G",
    currencyCode: "INR",
    participants: [
      { id: "p0", name: "Asha" },
      { id: "p1", name: "Ravi" },
    ],
    expenses: Array.from({ length: rows }, (_, i) =>
      isSettlement(i)
        ? {
            id: `e${i}`,
            expenseDate: "2024-01-02T00:00:00.000Z",
            title: "Ravi paid Asha",
            amount: 100,
            paidById: "p1",
            paidFor: [{ participantId: "p0", shares: 100 }],
            isReimbursement: true,
          }
        : {
            id: `e${i}`,
            expenseDate: "2024-01-01T00:00:00.000Z",
            title: `Dinner ${i}`,
            amount: 1000,
            paidById: "p0",
            paidFor: [
              { participantId: "p0", shares: 100 },
              { participantId: "p1", shares: 100 },
            ],
          },
    ),
  });
}

const FILES = [
  ["splitwise-csv", splitwiseFile],
  ["spliit-json", spliitFile],
  ["evenly-json", evenlyFile],
] as const;

describe("the cap on rows per import (IMPORT_MAX_ROWS)", () => {
  it.each(FILES)(
    "%s: one row over → 422 naming the limit, nothing written, dry run too",
    async (format, file) => {
      const data = file(MAX + 1);
      const before = await snapshot();
      for (const dry_run of [true, false]) {
        const res = await t.call(
          "POST",
          "/groups/import",
          { format, data, members: { Asha: a, Ravi: b }, dry_run },
          { as: a },
        );
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.detail).toMatch(/too many rows to import/);
        expect(res.body.errors).toEqual([
          {
            field: "file",
            message: expect.stringMatching(
              new RegExp(
                `^has ${MAX + 1} .*one import takes at most ${MAX} expenses and settlements$`,
              ),
            ),
          },
        ]);
      }
      expect(await snapshot()).toBe(before);
    },
  );

  it.each(FILES)("%s: exactly the limit → imported", async (format, file) => {
    const body = { format, data: file(MAX), members: { Asha: a, Ravi: b } };
    const dry = await t.call("POST", "/groups/import", { ...body, dry_run: true }, { as: a });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    const res = await t.call("POST", "/groups/import", body, { as: a });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // 4 expenses and 1 settlement (Ravi pays Asha ₹1).
    expect([res.body.expenses, res.body.settlements]).toEqual([4, 1]);
  });

  it("the import wizard refuses the file on its first step with the same message", async () => {
    const { post } = pageClient(() => t);
    const before = await snapshot();
    const res = await post(
      "/app/groups/import/people",
      { format: "splitwise-csv", data: splitwiseFile(MAX + 1), name: "Goa" },
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(`one import takes at most ${MAX} expenses and settlements`);
    // The service names the whole file `file`: the page says "The file", not "The file: file:".
    expect(res.body).toContain(`The file: has ${MAX + 1} expense and payment rows`);
    expect(res.body).toContain(`>Has ${MAX + 1} expense and payment rows`);
    expect(res.body).not.toMatch(/file: file:|>File: has/);
    expect(await snapshot()).toBe(before);
  });
});

describe("the IMPORT_MAX_ROWS setting", () => {
  it("defaults to 20000 and takes an integer of at least 1, else start-up fails naming it", () => {
    expect(loadConfig({}).IMPORT_MAX_ROWS).toBe(20_000);
    expect(loadConfig({ IMPORT_MAX_ROWS: "1" }).IMPORT_MAX_ROWS).toBe(1);
    expect(loadConfig({ IMPORT_MAX_ROWS: " " }).IMPORT_MAX_ROWS).toBe(20_000);
    for (const bad of ["0", "-5", "1.5", "many"]) {
      expect(() => loadConfig({ IMPORT_MAX_ROWS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ IMPORT_MAX_ROWS: bad })).toThrow(/IMPORT_MAX_ROWS: /);
    }
  });
});
