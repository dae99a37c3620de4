import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

// `npm run verify-ledger` as an operator runs it: a separate process pointed at a database.
// It needs a database another process can open, so it runs on the server.
describe("npm run verify-ledger", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine: "server" });
  });
  afterAll(async () => t.close());

  const runCli = () =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const env = { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: "silent" };
      const p = spawn(process.execPath, ["--import", "tsx", "src/cli/verify-ledger.ts"], { env });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.stderr.on("data", (d) => (out += d));
      p.on("exit", (code) => resolve({ code, out }));
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
    expect(clean.code, clean.out).toBe(0);
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
    expect(report.drift).toEqual([{ userA: a, userB: c, stored: -2999, expected: -3000 }]);
    console.log(
      `verify-ledger: clean → exit ${clean.code}; 1 paisa tampered → exit ${drifted.code}, drift ${JSON.stringify(report.drift)}`,
    );
  });
});
