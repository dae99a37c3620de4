import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unknownMappedNames, unmappedMembers } from "./members.js";
import { BalanceMismatch, type InterchangeGroup, MalformedFile, netList } from "./model.js";
import { readSplitwiseCsv, SEVERAL_PAYERS_NOTE } from "./splitwise-read.js";
import { escapeCell, unescapeCell, writeSplitwiseCsv } from "./splitwise-write.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/interchange/${name}`, import.meta.url), "utf8");
const TWO = fixture("splitwise-two-currencies.csv");
const read = (text: string) => readSplitwiseCsv(text, { currency: "INR" });
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
};

describe("reading a Splitwise export", () => {
  const { group, problems } = read(TWO);

  it("reads members, one-payer expenses, the several-payer row and the payment", () => {
    expect(group.members.map((m) => m.name)).toEqual(["Asha", "Ravi", "Meera"]);
    expect(group.currency).toBe("INR"); // two currencies: the group's is the one of the most rows
    const [dinner, taxi, hotel, groceries] = group.expenses;
    expect(dinner).toMatchObject({
      description: "Dinner",
      category: "Dining out",
      currency: "INR",
      amount: 90000,
      payers: [{ member: "Asha", amount: 90000 }],
      shares: [
        { member: "Asha", amount: 30000 },
        { member: "Ravi", amount: 30000 },
        { member: "Meera", amount: 30000 },
      ],
      split: { type: "EXACT", values: [30000, 30000, 30000] },
      note: null,
    });
    expect(taxi?.shares).toEqual([
      { member: "Asha", amount: 12500 },
      { member: "Ravi", amount: 12500 },
    ]);
    // Several payers: the positive cells pay, the negative cells owe; Cost is only noted.
    expect(hotel).toMatchObject({
      currency: "USD",
      amount: 18000,
      payers: [
        { member: "Asha", amount: 12000 },
        { member: "Ravi", amount: 6000 },
      ],
      shares: [{ member: "Meera", amount: 18000 }],
    });
    expect(hotel?.note).toBe(`${SEVERAL_PAYERS_NOTE} Cost in the file: 300.00.`);
    // The formula-escaped description is read back as written by the user.
    expect(groceries?.description).toBe('=HYPERLINK("http://example.invalid","Groceries")');
    expect(group.expenses).toHaveLength(4);
    expect(group.settlements).toEqual([
      {
        date: "2024-03-04",
        from: "Ravi",
        to: "Asha",
        amount: 10000,
        currency: "INR",
        // "Ravi paid Asha" only says who paid whom: no note.
        note: null,
      },
    ]);
    expect(problems).toEqual([
      "line 5 (Hotel): several payers; the real paid/owed split is not in the file",
      "line 8 (Coffee): nobody owes anyone anything, so it was left out",
    ]);
  });

  it("reproduces the Total balance rows to the paisa", () => {
    expect(netList(group)).toEqual([
      { name: "Asha", currency: "INR", amount: 37500 },
      { name: "Ravi", currency: "INR", amount: -7500 },
      { name: "Meera", currency: "INR", amount: -30000 },
      { name: "Asha", currency: "USD", amount: 10483 },
      { name: "Ravi", currency: "USD", amount: 4484 },
      { name: "Meera", currency: "USD", amount: -14967 },
    ]);
  });

  it("refuses the whole file when a Total balance row disagrees, naming who and where", () => {
    const off = TWO.replace("USD,104.83,44.84,-149.67", "USD,104.84,44.83,-149.67");
    const e = thrown(() => read(off));
    expect(e).toBeInstanceOf(BalanceMismatch);
    expect((e as BalanceMismatch).kind).toBe("rule");
    expect((e as BalanceMismatch).mismatches).toEqual([
      { currency: "USD", member: "Asha", computed: 10483, expected: 10484 },
      { currency: "USD", member: "Ravi", computed: 4484, expected: 4483 },
    ]);
    expect((e as BalanceMismatch).issues[0]).toEqual({
      field: "line 11",
      message: "Asha: the rows give 104.83 USD, the Total balance row says 104.84",
    });
    const noUsdTotal = TWO.replace(/.*Total balance.*USD.*\n/, "");
    expect((thrown(() => read(noUsdTotal)) as BalanceMismatch).issues).toEqual([
      { field: "Total balance", message: "the file has USD rows but no Total balance row for USD" },
    ]);
  });

  it("lists every malformed line with its number", () => {
    const e = thrown(() => read(fixture("splitwise-malformed.csv")));
    expect(e).toBeInstanceOf(MalformedFile);
    expect((e as MalformedFile).issues).toEqual([
      { field: "line 3", message: "Date must be YYYY-MM-DD, not 03/02/2024" },
      { field: "line 4", message: "member cells add up to 20.00, not 0" },
      { field: "line 5", message: "Cost is not an amount in INR" },
      { field: "line 6", message: "Currency XYZ is not an ISO 4217 currency code" },
      { field: "line 7", message: "Asha's cell is not an amount in INR: five" },
      { field: "line 8", message: "has 6 columns; the header has 7" },
      { field: "line 9", message: "Asha's cell is not an amount in JPY: 50.50" },
    ]);
  });

  it.each([
    ["", "line 1"],
    ["Date,Description,Cost,Currency,Asha\n", "line 1"],
    ["Date,Description,Category,Cost,Currency\n", "line 1"],
    ["Date,Description,Category,Cost,Currency,Asha,Asha\n", "line 1"],
    ['Date,Description,Category,Cost,Currency,"Asha\n', "file"],
  ])("refuses a bad header: %j", (text, field) => {
    const e = thrown(() => read(text));
    expect(e).toBeInstanceOf(MalformedFile);
    expect((e as MalformedFile).issues[0]?.field).toBe(field);
  });

  it("refuses a Payment row that is not one person paying another", () => {
    const csv =
      "Date,Description,Category,Cost,Currency,A,B,C\n2024-01-01,x,Payment,10.00,INR,10.00,-5.00,-5.00\n";
    expect((thrown(() => read(csv)) as MalformedFile).issues).toEqual([
      {
        field: "line 2",
        message: "a Payment must have exactly one positive and one negative cell",
      },
    ]);
  });

  it("keeps a Payment's Description as its note unless it only says who paid whom", () => {
    const rows = [
      "Ravi paid Asha",
      "payment",
      "  ",
      "Cash at the airport",
      '"Ravi paid Asha, in cash"',
      "Asha paid Ravi",
    ];
    const csv = `Date,Description,Category,Cost,Currency,Asha,Ravi\n${rows
      .map((d) => `2024-01-01,${d},Payment,10.00,INR,-10.00,10.00`)
      .join("\n")}\n\n2024-01-01,Total balance,,,INR,-60.00,60.00\n`;
    expect(read(csv).group.settlements.map((s) => s.note)).toEqual([
      null,
      null,
      null,
      "Cash at the airport",
      "Ravi paid Asha, in cash",
      // Not this row's direction: it says something the cells do not.
      "Asha paid Ravi",
    ]);
  });

  it("accepts Splitwise's 2 decimals for yen when they are zeros, and nothing else", () => {
    const csv =
      "Date,Description,Category,Cost,Currency,A,B\n2024-01-01,Ramen,Food,1500.00,JPY,750.00,-750.00\n\n" +
      "2024-01-01,Total balance,,,JPY,750.00,-750.00\n";
    expect(read(csv).group.expenses[0]?.amount).toBe(1500);
  });
});

describe("writing a Splitwise export", () => {
  const g: InterchangeGroup = {
    name: "Trip",
    currency: "INR",
    members: [
      { name: "Asha", email: null },
      { name: "=Eve", email: null },
    ],
    expenses: [
      {
        date: "2024-03-01",
        description: "@SUM(1+1)",
        category: null,
        note: null,
        currency: "INR",
        amount: 10001,
        payers: [{ member: "Asha", amount: 10001 }],
        shares: [
          { member: "Asha", amount: 5001 },
          { member: "=Eve", amount: 5000 },
        ],
        split: { type: "EQUAL", values: null, items: null, tax: 0, tip: 0 },
        original: null,
      },
    ],
    settlements: [
      { date: "2024-03-02", from: "=Eve", to: "Asha", amount: 2000, currency: "JPY", note: null },
    ],
  };

  it("writes Splitwise's layout, escaping formulas but not negative numbers", () => {
    expect(writeSplitwiseCsv(g)).toBe(
      [
        "Date,Description,Category,Cost,Currency,Asha,'=Eve",
        "2024-03-01,'@SUM(1+1),General,100.01,INR,50.00,-50.00",
        "2024-03-02,'=Eve paid Asha,Payment,2000,JPY,-2000,2000",
        "",
        "2024-03-02,Total balance,,,INR,50.00,-50.00",
        "2024-03-02,Total balance,,,JPY,-2000,2000",
        "",
      ].join("\n"),
    );
    expect(read(writeSplitwiseCsv(g)).group.members.map((m) => m.name)).toEqual(["Asha", "=Eve"]);
  });

  it.each([
    ["=1+1", "'=1+1"],
    ["+91 98", "'+91 98"],
    ["-x", "'-x"],
    ["-1.5", "-1.5"],
    ["-15", "-15"],
    ["-1.5e3", "'-1.5e3"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["plain", "plain"],
    ["'quoted", "'quoted"],
    ["'=typed with a quote", "''=typed with a quote"],
  ])("escapes %j as %j and reads it back", (cell, escaped) => {
    expect(escapeCell(cell)).toBe(escaped);
    expect(unescapeCell(escapeCell(cell))).toBe(cell);
  });

  it("reads a 10,000-row file quickly", () => {
    const members = ["Asha", "Ravi", "Meera", "Kabir"];
    const rows: string[] = [];
    const net = [0, 0, 0, 0];
    for (let i = 0; i < 10_000; i++) {
      const payer = i % 4;
      const cost = 400 + (i % 97) * 4; // paise, split in 4 exactly
      const cells = members.map((_, j) => (j === payer ? (cost * 3) / 4 : -cost / 4));
      cells.forEach((c, j) => {
        net[j] = (net[j] as number) + c;
      });
      const day = String((i % 28) + 1).padStart(2, "0");
      rows.push(
        `2024-02-${day},Item ${i},General,${(cost / 100).toFixed(2)},INR,${cells.map((c) => (c / 100).toFixed(2)).join(",")}`,
      );
    }
    const text = `Date,Description,Category,Cost,Currency,${members.join(",")}\n${rows.join("\n")}\n\n2024-02-28,Total balance,,,INR,${net.map((c) => (c / 100).toFixed(2)).join(",")}\n`;
    const start = performance.now();
    const { group } = read(text);
    console.log(
      `Splitwise CSV, 10,000 rows: read and reconciled in ${Math.round(performance.now() - start)} ms`,
    );
    expect(group.expenses).toHaveLength(10_000);
  });
});

describe("mapping members", () => {
  const { group } = read(TWO);
  it("reports names without a user, and mapped names the file does not have", () => {
    expect(unmappedMembers(group, { Asha: 7, Ravi: null })).toEqual(["Ravi", "Meera"]);
    expect(
      unmappedMembers(group, { Asha: 7, Ravi: { name: "Ravi", email: "r@example.com" }, Meera: 9 }),
    ).toEqual([]);
    expect(unknownMappedNames(group, { Asha: 7, Mira: 9 })).toEqual(["Mira"]);
  });
});
