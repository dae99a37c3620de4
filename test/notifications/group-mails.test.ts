import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseMessage } from "../../src/notifications/message.js";
import { type OptionalMessage, renderMessage } from "../../src/notifications/render.js";
import { enqueueWeeklySummaries } from "../../src/notifications/weekly.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

/** The outbox messages of a kind for a recipient, as the handler would parse and render them. */
async function mailsTo(recipient: number, kind: string) {
  // The outbox stores the whole message as its payload.
  const r = (await t.db.db.execute(
    sql`select payload from outbox where recipient_id = ${recipient} and kind = ${kind} order by id`,
  )) as unknown as { rows: { payload: unknown }[] };
  return r.rows.map((row) => {
    const msg = parseMessage(row.payload) as OptionalMessage;
    return renderMessage(msg, "Reader", {
      publicUrl: "http://evenly.test",
      unsubscribe: "http://evenly.test/unsubscribe",
    });
  });
}

it("expense mails name the group; the weekly summary lists each group, then outside groups, then the net", async () => {
  const [a, b, c] = [await t.user("Asha"), await t.user("Bala"), await t.user("Chitra")];
  const goa = await t.call("POST", "/groups", { name: "Goa trip", members: [b] }, { as: a });
  const flat = await t.call("POST", "/groups", { name: "Flat", members: [a, b] }, { as: c });
  const spend = (as: number, body: object) =>
    t.call("POST", "/expenses", { split_type: "EQUAL", description: "Dinner", ...body }, { as });
  // Goa: b owes a 10. Flat: a owes c 5. Outside groups: a owes b 3.
  await spend(a, { paid_by: a, amount: "20.00", participants: [a, b], group_id: goa.body.groupid });
  await spend(c, {
    paid_by: c,
    amount: "10.00",
    participants: [a, c],
    group_id: flat.body.groupid,
  });
  await spend(b, { paid_by: b, amount: "6.00", participants: [a, b] });
  const [inGoa, outside] = await mailsTo(b, "expense.added");
  expect(inGoa?.subject).toContain("in Goa trip");
  expect(inGoa?.text).toContain("Group: Goa trip");
  expect(inGoa?.html).toContain("Goa trip");
  expect(outside?.subject).not.toContain(" in ");
  expect(outside?.text).not.toContain("Group:");

  await enqueueWeeklySummaries(t.db.db, { timeZone: "Asia/Kolkata" });
  const [weekly] = await mailsTo(a, "weekly.summary");
  const text = weekly?.text ?? "";
  // Groups in the order they were made, then outside groups, then the overall net.
  const order = [
    "In Goa trip:",
    "owes you ₹10.00",
    "In Flat:",
    "You owe Chitra",
    "Outside groups:",
    "₹3.00",
    "In total you are owed ₹2.00.",
  ];
  const at = order.map((s) => text.indexOf(s));
  expect(
    at.every((i) => i >= 0),
    text,
  ).toBe(true);
  expect([...at].sort((x, y) => x - y)).toEqual(at);
  expect(text).toMatch(/You owe Chitra \d+ ₹5.00/);
});
