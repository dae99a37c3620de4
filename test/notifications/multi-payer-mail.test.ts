import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseMessage } from "../../src/notifications/message.js";
import { type OptionalMessage, renderMessage } from "../../src/notifications/render.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

/** The outbox messages of a kind for a recipient, as the handler would parse and render them. */
async function mailsTo(recipient: number, kind: string) {
  const r = (await t.db.db.execute(
    sql`select payload from outbox where recipient_id = ${recipient} and kind = ${kind} order by id`,
  )) as unknown as { rows: { payload: unknown }[] };
  return r.rows.map((row) =>
    renderMessage(parseMessage(row.payload) as OptionalMessage, "Reader", {
      publicUrl: "http://evenly.test",
      unsubscribe: "http://evenly.test/unsubscribe",
    }),
  );
}

it("a two-payer expense: each mail names both payers and says whom the reader owes how much", async () => {
  const [a, b, c] = [await t.user("Asha"), await t.user("Bela"), await t.user("Chen")];
  const res = await t.call(
    "POST",
    "/expenses",
    {
      description: "Dinner",
      payers: [
        { userid: a, amount: "20.00" },
        { userid: b, amount: "22.00" },
      ],
      amount: "42.00",
      split_type: "EXACT",
      participants: [a, b, c],
      split_values: ["15.00", "15.00", "12.00"],
    },
    { as: a },
  );
  expect(res.status).toBe(201);
  const [toChen] = await mailsTo(c, "expense.added");
  const text = toChen?.text ?? "";
  // The documented example: Chen owes Asha 5.72 and Bela 6.28.
  expect(text).toMatch(/For this expense: you owe Asha \d+ ₹5\.72 and Bela \d+ ₹6\.28\./);
  expect(text).toMatch(/Paid by: Asha \d+ ₹20\.00, Bela \d+ ₹22\.00/);
  expect(toChen?.html).toContain("you owe Asha");
  const [toAsha] = await mailsTo(a, "expense.added");
  expect(toAsha?.text).toMatch(
    /For this expense: you owe Bela \d+ ₹0\.72; Chen \d+ owes you ₹5\.72\./,
  );
});
