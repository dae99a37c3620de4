import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

// `npm run verify-ledger` as an operator runs it: a separate process pointed at a database.
// It needs a database another process can open, so it runs on the server.
describe("npm run verify-ledger", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine: "server" });
  });
  afterAll(async () => t.close());

  beforeEach(async () => t.db.reset());

  /** `out`: the JSON report (stdout); `err`: one line per problem (stderr). */
  const runCli = () =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const env = { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: "silent" };
      const p = spawn(process.execPath, ["--import", "tsx", "src/cli/verify-ledger.ts"], { env });
      let out = "";
      let err = "";
      p.stdout.on("data", (d) => (out += d));
      p.stderr.on("data", (d) => (err += d));
      p.on("exit", (code) => resolve({ code, out, err }));
    });

  it("exits 0 on a clean ledger and 1 with a drift report when a pair balance is tampered with", async () => {
    const [a, b, c] = [await t.user("A"), await t.user("B"), await t.user("C")];
    await t.call(
      "POST",
      "/expenses",
      { paid_by: a, amount: "90", split_type: "EQUAL", participants: [a, b, c], description: "x" },
      { as: a },
    );
    await t.call("POST", "/settlements", { from_user: b, to_user: a, amount: 10 }, { as: b });
    const clean = await runCli();
    expect(clean.code, clean.out + clean.err).toBe(0);
    expect(clean.err).toBe("");
    const cleanReport = JSON.parse(clean.out);
    expect(cleanReport).toMatchObject({ ok: true, expensesChecked: 1, settlementsChecked: 1 });
    expect(cleanReport.drift).toEqual([]);

    // One paisa of drift on the (a, c) pair.
    await t.db.db.execute(
      sql`update pair_balances set a_owes_b_paise = a_owes_b_paise + 1 where user_a = ${a} and user_b = ${c}`,
    );
    const drifted = await runCli();
    expect(drifted.code).toBe(1);
    const report = JSON.parse(drifted.out);
    expect(report.ok).toBe(false);
    expect(report.drift).toEqual([
      { userA: a, userB: c, currency: "INR", stored: -2999, expected: -3000 },
    ]);
    expect(drifted.err).toContain(
      `pair (${a}, ${c}) in INR: stored -2999, the ledger implies -3000 (minor units)`,
    );
    console.log(
      `verify-ledger: clean → exit ${clean.code}; 1 paisa tampered → exit ${drifted.code}, drift ${JSON.stringify(report.drift)}`,
    );
  });

  it("reports an expense whose payments do not match its shares, and checks the rest", async () => {
    const [a, b, c] = [await t.user("A"), await t.user("B"), await t.user("C")];
    const expense = (description: string) =>
      t.call(
        "POST",
        "/expenses",
        { paid_by: a, amount: "90", split_type: "EQUAL", participants: [a, b, c], description },
        { as: a },
      );
    const broken = (await expense("broken")).body.expenseid;
    await expense("fine");
    // Written behind the app's back: the payer now paid 89.00 of a 90.00 expense.
    await t.db.db.execute(
      sql`update expense_payers set amount_paise = 8900 where expense_id = ${broken}`,
    );
    const run = await runCli();
    expect(run.code, run.out + run.err).toBe(1);
    const report = JSON.parse(run.out);
    expect(report).toMatchObject({ ok: false, expensesChecked: 2 });
    expect(report.badExpenses).toEqual([
      {
        id: broken,
        amount: 9000,
        sharesSum: 9000,
        paidSum: 8900,
        reason: "shares add up to 90.00 INR and payments to 89.00 INR, not the amount 90.00 INR",
      },
    ]);
    expect(run.err).toContain(
      `expense ${broken}: shares add up to 90.00 INR and payments to 89.00 INR, not the amount 90.00 INR`,
    );
    // The broken expense adds nothing to the expected balances: its half shows as drift.
    expect(report.drift).toEqual([
      { userA: a, userB: b, currency: "INR", stored: -6000, expected: -3000 },
      { userA: a, userB: c, currency: "INR", stored: -6000, expected: -3000 },
    ]);
  });
});
