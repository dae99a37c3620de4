/** Small import files of each format to spoil, for the hostile-input tests (test support). */

export const NUL = "\u0000";
/** `n` nested JSON arrays. */
export const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
export const HEAD = "Date,Description,Category,Cost,Currency,Asha,Ravi";
export const TOTAL = "2024-01-01,Total balance,,,INR,5.00,-5.00";
/** A Splitwise file with one row (`head` for another header) and its totals row. */
export const splitwise = (row: string, head = HEAD) => `${head}\n${row}\n\n${TOTAL}\n`;
export const ROW = "2024-01-01,Dinner,,10.00,INR,5.00,-5.00";

/** An Evenly JSON file of one expense (fields of `expense` replaced). */
export const evenly = (expense: Record<string, unknown>, names = ["Asha", "Ravi"]) =>
  JSON.stringify({
    format_version: 1,
    group: { name: "G", currency: "INR" },
    members: names.map((name) => ({ name, email: null })),
    expenses: [
      {
        date: "2024-01-01",
        description: "Dinner",
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
        ...expense,
      },
    ],
    settlements: [],
  });

/** A Spliit export of one expense (fields of `expense` replaced). */
export const spliit = (expense: Record<string, unknown>, names = ["Asha", "Ravi"]) =>
  JSON.stringify({
    name: "G",
    currencyCode: "INR",
    participants: names.map((name, i) => ({ id: `p${i}`, name })),
    expenses: [
      {
        id: "e1",
        expenseDate: "2024-01-01T00:00:00.000Z",
        title: "Dinner",
        amount: 1000,
        paidById: "p0",
        paidFor: [
          { participantId: "p0", shares: 100 },
          { participantId: "p1", shares: 100 },
        ],
        ...expense,
      },
    ],
  });
