import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readEvenlyJson, writeEvenlyJson } from "./evenly-json.js";
import { MalformedFile, netList } from "./model.js";
import { readSpliitJson, spliitHash } from "./spliit-read.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/interchange/${name}`, import.meta.url), "utf8");
const SPLIIT = fixture("spliit-export.json");
const read = (text: string) => readSpliitJson(text, { currency: "INR" });
const issuesOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedFile);
    return (e as MalformedFile).issues;
  }
  throw new Error("did not throw");
};

/**
 * Spliit's share rule written out independently (its src/lib/shares.ts, as described there):
 * sort by participant id, floor each exact share, leftover units by largest remainder, ties in
 * order from position hash(id) mod n.
 */
function spliitShares(id: string, amount: number, weights: { p: string; w: number }[]) {
  const sorted = [...weights].sort((a, b) => (a.p < b.p ? -1 : 1));
  const total = sorted.reduce((s, x) => s + x.w, 0);
  const n = sorted.length;
  const offset = spliitHash(id) % n;
  const parts = sorted.map((x) => Math.floor((amount * x.w) / total));
  const rem = sorted.map((x, i) => amount * x.w - (parts[i] as number) * total);
  const order = sorted
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (rem[b] as number) - (rem[a] as number) || ((a - offset + n) % n) - ((b - offset + n) % n),
    );
  let left = amount - parts.reduce((s, x) => s + x, 0);
  for (const i of order) if (left-- > 0) parts[i] = (parts[i] as number) + 1;
  return new Map(sorted.map((x, i) => [x.p, parts[i] as number]));
}

describe("reading a Spliit export", () => {
  const { group, problems } = read(SPLIIT);

  it("maps participants, split modes, the converted expense and the reimbursement", () => {
    expect(group.name).toBe("Lisbon trip");
    expect(group.currency).toBe("EUR");
    expect(group.members.map((m) => m.name)).toEqual(["Anna", "Ben", "Chloé"]);
    expect(group.expenses.map((e) => [e.description, e.split.type, e.split.values])).toEqual([
      ["Dinner", "EQUAL", null],
      ["Flat", "SHARES", [100, 200, 200]],
      ["Tram passes", "PERCENTAGE", [3000, 2000, 5000]],
      ["Museum", "EXACT", [800, 1200]],
      ["Sushi (paid in yen)", "EQUAL", null],
    ]);
    expect(group.expenses[1]?.note).toBe("two rooms");
    expect(group.expenses[0]?.category).toBe("Dining Out");
    expect(group.expenses[4]?.original).toEqual({ amount: 15000, currency: "JPY", rate: "0.0061" });
    expect(group.settlements).toEqual([
      {
        date: "2024-05-06",
        from: "Ben",
        to: "Anna",
        amount: 2000,
        currency: "EUR",
        note: "Ben pays Anna back",
      },
    ]);
    expect(problems).toEqual([]);
  });

  it("a reimbursement's title and notes become its settlements' note", () => {
    const file = JSON.parse(SPLIIT);
    const payback = file.expenses.find((e: { isReimbursement: boolean }) => e.isReimbursement);
    payback.notes = " cash, at the airport \n ";
    expect(read(JSON.stringify(file)).group.settlements[0]?.note).toBe(
      "Ben pays Anna back\ncash, at the airport",
    );
    payback.title = " ";
    expect(read(JSON.stringify(file)).group.settlements[0]?.note).toBe("cash, at the airport");
    payback.notes = null;
    expect(read(JSON.stringify(file)).group.settlements[0]?.note).toBeNull();
  });

  it("gives every participant exactly Spliit's share (its leftover-cent rotation included)", () => {
    const raw = JSON.parse(SPLIIT) as {
      expenses: {
        id: string;
        amount: number;
        splitMode: string;
        paidFor: { participantId: string; shares: number }[];
        isReimbursement: boolean;
      }[];
      participants: { id: string; name: string }[];
    };
    const nameOf = new Map(raw.participants.map((p) => [p.id, p.name]));
    raw.expenses
      .filter((e) => !e.isReimbursement)
      .forEach((e, i) => {
        const weights = e.paidFor.map((p) => ({
          p: p.participantId,
          w: e.splitMode === "EVENLY" ? 1 : p.shares,
        }));
        const want = [...spliitShares(e.id, e.amount, weights)].map(
          ([p, a]) => [nameOf.get(p), a] as const,
        );
        const got = (group.expenses[i]?.shares ?? []).map((s) => [s.member, s.amount] as const);
        expect(new Map(got)).toEqual(new Map(want));
      });
    // Dinner: 10.00 in 3; Spliit's rotation for "exp-dinner" gives the extra cent to Ben.
    expect(group.expenses[0]?.shares.find((s) => s.member === "Ben")?.amount).toBe(334);
  });

  it("agrees with Spliit's rule for random expenses (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom("EVENLY", "BY_SHARES", "BY_PERCENTAGE", "BY_AMOUNT"),
        fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 7 }),
        (id, amount, splitMode, ws) => {
          const paidFor = ws.map((w, k) => ({ participantId: `p${(k * 7) % 10}${k}`, shares: w }));
          const participants = paidFor.map((p) => ({ id: p.participantId, name: p.participantId }));
          const expense = {
            id,
            expenseDate: "2024-01-01",
            title: "x",
            amount,
            paidById: "p00",
            paidFor,
            splitMode,
            isReimbursement: false,
          };
          const { group: g } = read(
            JSON.stringify({ name: "g", currencyCode: "EUR", participants, expenses: [expense] }),
          );
          const weights = paidFor.map((p) => ({
            p: p.participantId,
            w: splitMode === "EVENLY" ? 1 : p.shares,
          }));
          const want = spliitShares(id, amount, weights);
          expect(new Map(g.expenses[0]?.shares.map((s) => [s.member, s.amount]))).toEqual(want);
        },
      ),
    );
  });

  it("survives Evenly JSON export and import unchanged", () => {
    expect(readEvenlyJson(writeEvenlyJson(group)).group).toEqual(group);
    expect(netList(readEvenlyJson(writeEvenlyJson(group)).group)).toEqual(netList(group));
  });

  it("uses the given currency when the group has only a symbol, and says so", () => {
    const noCode = SPLIIT.replace('"currencyCode": "EUR"', '"currencyCode": null');
    const r = read(noCode);
    expect(r.group.currency).toBe("INR");
    expect(r.problems).toEqual(["the group has no currency code (symbol €); amounts taken as INR"]);
  });

  it("names every malformed field", () => {
    expect(issuesOf(() => read("{"))[0]?.field).toBe("file");
    expect(issuesOf(() => read('{"name":"g","participants":[]}'))).toEqual([
      { field: "participants", message: expect.any(String) },
      { field: "expenses", message: expect.any(String) },
    ]);
    const bad = JSON.parse(SPLIIT);
    bad.expenses[0].paidById = "p-zed";
    bad.expenses[1].amount = -500;
    bad.expenses[2].splitMode = "BY_MAGIC";
    expect(issuesOf(() => read(JSON.stringify(bad)))).toEqual([
      { field: "expenses[2].splitMode", message: expect.any(String) },
    ]);
    bad.expenses[2].splitMode = "EVENLY";
    expect(issuesOf(() => read(JSON.stringify(bad)))).toEqual([
      { field: "expenses[0]", message: "names unknown participants: p-zed" },
      { field: "expenses[1].amount", message: "must be greater than 0 (income is not supported)" },
    ]);
  });
});
