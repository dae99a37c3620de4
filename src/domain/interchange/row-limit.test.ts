import { describe, expect, it } from "vitest";
import { readEvenlyJson } from "./evenly-json.js";
import { MalformedFile } from "./model.js";
import { linesUpTo } from "./row-limit.js";
import { readSpliitJson } from "./spliit-read.js";
import { readSplitwiseCsv, SPLITWISE_EXTRA_LINES } from "./splitwise-read.js";

const HEAD = "Date,Description,Category,Cost,Currency,Asha,Ravi";
const ROW = "2024-01-01,Dinner,,10.00,INR,5.00,-5.00\n";
/** `rows` rows of Asha paying ₹10 for both, with their Total balance row. */
const splitwise = (rows: number, extra = "") =>
  `${HEAD}\n${ROW.repeat(rows)}\n${extra}2024-01-02,Total balance,,,INR,${5 * rows}.00,-${5 * rows}.00\n`;

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof MalformedFile) return { detail: e.message, issues: e.issues };
    throw e;
  }
  throw new Error("did not throw");
};

describe("the row cap (maxRows) of the readers", () => {
  it("a Splitwise file of 300,000 short lines is refused by its line count, unparsed (timing printed)", () => {
    const text = `${HEAD}\n${ROW.repeat(300_000)}`;
    const started = performance.now();
    const r = refusal(() => readSplitwiseCsv(text, { currency: "INR", maxRows: 20_000 }));
    const ms = performance.now() - started;
    console.log(
      `300,000-line Splitwise file (${text.length} bytes) refused in ${ms.toFixed(1)} ms`,
    );
    expect(r.detail).toBe("The Splitwise CSV file has too many rows to import");
    // "lines", not rows: said by the line count, before the CSV parser saw any record.
    expect(r.issues).toEqual([
      {
        field: "file",
        message: `has more than ${20_000 + SPLITWISE_EXTRA_LINES} lines, so more than 20000 rows; one import takes at most 20000 expenses and settlements`,
      },
    ]);
    expect(ms).toBeLessThan(5_000); // tens of ms; parsing and reading the rows, ~10 s
  });

  it("Splitwise: the rows are counted exactly, not the header, blank or Total balance lines", () => {
    const blanks = "\n".repeat(20);
    const read = (text: string) => readSplitwiseCsv(text, { currency: "INR", maxRows: 5 });
    expect(read(splitwise(5, blanks)).group.expenses).toHaveLength(5);
    expect(refusal(() => read(splitwise(6, blanks))).issues[0]?.message).toBe(
      "has 6 expense and payment rows; one import takes at most 5 expenses and settlements",
    );
    // Without a cap, as before.
    expect(readSplitwiseCsv(splitwise(6), { currency: "INR" }).group.expenses).toHaveLength(6);
  });

  it("JSON files: the arrays' lengths are checked before any expense is read", () => {
    // 300,000 expenses that are not even objects: the count is what the 422 says.
    const huge = Array.from({ length: 300_000 }, () => 0);
    const evenly = JSON.stringify({ expenses: huge, settlements: [0, 0] });
    expect(refusal(() => readEvenlyJson(evenly, { maxRows: 20_000 })).issues).toEqual([
      {
        field: "file",
        message:
          "has 300002 rows (300000 expenses and 2 settlements); one import takes at most 20000 expenses and settlements",
      },
    ]);
    const spliit = JSON.stringify({ expenses: huge });
    expect(
      refusal(() => readSpliitJson(spliit, { currency: "INR", maxRows: 20_000 })).issues,
    ).toEqual([
      {
        field: "file",
        message: "has 300000 expenses; one import takes at most 20000 expenses and settlements",
      },
    ]);
    // Under the cap the file is read, and its problems are the schema's.
    const small = refusal(() => readEvenlyJson(JSON.stringify({ expenses: [0] }), { maxRows: 1 }));
    expect(small.detail).toBe("The Evenly JSON file is not valid");
  });
});

describe("linesUpTo", () => {
  it("counts LF, CRLF and CR lines, a last line without its break too, up to cap + 1", () => {
    expect(linesUpTo("", 10)).toBe(0);
    expect(linesUpTo("a", 10)).toBe(1);
    expect(linesUpTo("a\nb\n", 10)).toBe(2);
    expect(linesUpTo("a\r\nb\r\nc", 10)).toBe(3);
    expect(linesUpTo("a\rb\rc\r", 10)).toBe(3);
    expect(linesUpTo("x\n".repeat(1000), 10)).toBe(11);
  });
});
