import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { deep, evenly, HEAD, NUL, ROW, spliit, splitwise } from "../helpers/hostile-files.js";
import { tableChecksum } from "../helpers/table-checksum.js";

/**
 * Hostile files for POST /groups/import, in each format: a clear 422 naming where the problem is
 * (never a 500), and nothing written, dry run or not. And a member mapped to someone the importer
 * does not know is answered the same whether that account exists, is deactivated or never was.
 */

let t: TestApp;
let a: number;
let b: number;
beforeAll(async () => {
  t = await startTestApp();
  a = await t.user("Asha");
  b = await t.user("Ravi");
});
afterAll(async () => t?.close());

const snapshot = async () => {
  const r = (await t.db.db.execute(
    sql`select (select count(*) from groups) g, (select count(*) from group_members) m, (select count(*) from imports) i`,
  )) as unknown as { rows: unknown[] };
  return `${await tableChecksum(t.db)}|${JSON.stringify(r.rows)}`;
};

/** [what, format, file, a field the 422 names (exactly), a word its message has]. */
const files: [string, string, string, string, string][] = [
  [
    "CSV: a NUL byte in a description",
    "splitwise-csv",
    splitwise(ROW.replace("Dinner", `Din${NUL}ner`)),
    "expenses[0].description",
    "line",
  ],
  [
    "CSV: a NUL byte in a member name",
    "splitwise-csv",
    splitwise(ROW, HEAD.replace("Ravi", `Ra${NUL}vi`)),
    "members[1].name",
    "line",
  ],
  [
    "CSV: a bell character in a description",
    "splitwise-csv",
    splitwise(ROW.replace("Dinner", "Din\u0007ner")),
    "expenses[0].description",
    "line",
  ],
  [
    "CSV: a 23-digit amount",
    "splitwise-csv",
    splitwise("2024-01-01,Dinner,,1.00,INR,99999999999999999999999.00,-99999999999999999999999.00"),
    "line 2",
    "amount",
  ],
  [
    "CSV: 1e309",
    "splitwise-csv",
    splitwise("2024-01-01,Dinner,,1e309,INR,1e309,-1e309"),
    "line 2",
    "amount",
  ],
  [
    "CSV: a negative Cost",
    "splitwise-csv",
    splitwise("2024-01-01,Dinner,,-10.00,INR,5.00,-5.00"),
    "line 2",
    "greater than 0",
  ],
  [
    "CSV: more than 1 crore",
    "splitwise-csv",
    splitwise("2024-01-01,Dinner,,10000000.01,INR,5000000.01,-5000000.01"),
    "line 2",
    "at most",
  ],
  [
    "CSV: one member name twice",
    "splitwise-csv",
    splitwise(ROW, HEAD.replace("Ravi", "Asha")),
    "line 1",
    "twice",
  ],
  ["CSV: an unclosed quote", "splitwise-csv", `${HEAD}\n2024-01-01,"Din`, "file", "CSV"],
  [
    "Evenly: 100,000 levels of nesting",
    "evenly-json",
    `{"format_version":1,"group":${deep(100_000)}}`,
    "group",
    "object",
  ],
  ["Evenly: 1e309", "evenly-json", evenly({ amount: "1e309" }), "expenses[0].amount", "decimal"],
  [
    "Evenly: 1e309 as a JSON number",
    "evenly-json",
    evenly({ amount: 1 }).replace('"amount":1,', '"amount":1e309,'),
    "expenses[0].amount",
    "string",
  ],
  [
    "Evenly: a 23-digit amount",
    "evenly-json",
    evenly({ amount: "99999999999999999999999.00" }),
    "expenses[0].amount",
    "is too large",
  ],
  [
    "Evenly: negative amounts",
    "evenly-json",
    evenly({ amount: "-10.00", payers: [{ member: "Asha", amount: "-10.00" }] }),
    "expenses[0].amount",
    "greater than 0",
  ],
  [
    "Evenly: a negative settlement",
    "evenly-json",
    JSON.stringify({
      ...JSON.parse(evenly({})),
      settlements: [
        {
          date: "2024-01-01",
          from: "Asha",
          to: "Ravi",
          amount: "-5.00",
          currency: "INR",
          note: null,
        },
      ],
    }),
    "settlements[0].amount",
    "greater than 0",
  ],
  [
    "Evenly: a NUL byte in a description",
    "evenly-json",
    evenly({ description: `D${NUL}` }),
    "expenses[0].description",
    "line",
  ],
  [
    "Evenly: a NUL byte in a member name",
    "evenly-json",
    evenly({}, ["Asha", `Ra${NUL}vi`]),
    "members[1].name",
    "line",
  ],
  [
    "Evenly: one member name twice",
    "evenly-json",
    evenly({}, ["Asha", "Asha"]),
    "members[1].name",
    "repeats",
  ],
  [
    "Spliit: 100,000 levels of nesting",
    "spliit-json",
    `{"name":"x","participants":${deep(100_000)}}`,
    "participants[0]",
    "object",
  ],
  [
    "Spliit: 1e309",
    "spliit-json",
    spliit({ amount: 1 }).replace('"amount":1,', '"amount":1e309,'),
    "expenses[0].amount",
    "number",
  ],
  [
    "Spliit: more than 1 crore",
    "spliit-json",
    spliit({ amount: 1_000_000_001 }),
    "expenses[0]",
    "crore",
  ],
  [
    "Spliit: a negative amount",
    "spliit-json",
    spliit({ amount: -1000 }),
    "expenses[0].amount",
    "greater than 0",
  ],
  [
    "Spliit: a negative share",
    "spliit-json",
    spliit({
      splitMode: "BY_SHARES",
      paidFor: [
        { participantId: "p0", shares: -100 },
        { participantId: "p1", shares: 300 },
      ],
    }),
    "expenses[0]",
    "negative",
  ],
  [
    "Spliit: a NUL byte in a title",
    "spliit-json",
    spliit({ title: `T${NUL}` }),
    "expenses[0].description",
    "line",
  ],
  [
    "Spliit: two participants of one name",
    "spliit-json",
    spliit({}, ["Asha", "Asha"]),
    "members[1].name",
    "repeats",
  ],
  // A `\ud800` escape without its pair is not text (PostgreSQL stored U+FFFD): refused like the
  // API refuses a body with one, naming the file's own path.
  [
    "Evenly: a lone surrogate in a description",
    "evenly-json",
    evenly({ description: "Din\ud800ner" }),
    "expenses[0].description",
    "lone surrogate",
  ],
  [
    "Evenly: a lone surrogate in a member name",
    "evenly-json",
    evenly({}, ["Asha", "Ra\udc00vi"]),
    "members[1].name",
    "lone surrogate",
  ],
  [
    "Spliit: a lone surrogate in a title",
    "spliit-json",
    spliit({ title: "T\ud83d" }),
    "expenses[0].title",
    "lone surrogate",
  ],
  [
    "Spliit: a lone surrogate in a participant name",
    "spliit-json",
    spliit({}, ["Asha", "Ravi\udfff"]),
    "participants[1].name",
    "lone surrogate",
  ],
];

describe("hostile files", () => {
  it.each(files)("%s → 422 naming it, nothing written", async (_, format, data, field, word) => {
    const before = await snapshot();
    for (const dry_run of [true, false]) {
      const res = await t.call(
        "POST",
        "/groups/import",
        { format, data, members: { Asha: a, Ravi: b }, dry_run },
        { as: a },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      const issue = res.body.errors.find((e: { field: string }) => e.field === field);
      expect(issue, JSON.stringify(res.body.errors)).toBeDefined();
      expect(issue.message.toLowerCase()).toContain(word.toLowerCase());
      // A currency's digits are named for a decimals problem only ("is too large (INR has 2)").
      if (!issue.message.includes("decimal places")) expect(issue.message).not.toMatch(/ has \d\)/);
    }
    expect(await snapshot()).toBe(before);
  });
});

describe("a member mapped to someone the importer does not know", () => {
  it("gets the same answer for an account, a deactivated account and no account at all", async () => {
    const stranger = await t.stranger("Sam");
    const gone = await t.stranger("Gone");
    await t.db.db.execute(sql`update users set deactivated_at = now() where id = ${gone}`);
    const before = await snapshot();
    const answers: string[] = [];
    for (const id of [stranger, gone, 2_000_000_000])
      for (const dry_run of [true, false]) {
        const res = await t.call(
          "POST",
          "/groups/import",
          {
            format: "splitwise-csv",
            data: splitwise(ROW),
            members: { Asha: a, Ravi: id },
            dry_run,
          },
          { as: a },
        );
        expect(res.status).toBe(422);
        const { detail, errors } = res.body;
        answers.push(JSON.stringify({ detail, errors }).replaceAll(String(id), "N"));
      }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toContain("user N is unknown");
    expect(await snapshot()).toBe(before);
  });
});
