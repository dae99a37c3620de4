import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { MAX_BALANCE_LINES } from "../../src/notifications/events.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

interface Payload {
  recipientId: number;
  payload: { involvedIds?: number[]; balanceWithPayer: number | null; yourDebts?: unknown[] };
}

async function messagesOf(expenseId: number): Promise<Payload[]> {
  const r = (await t.db.db.execute(
    sql`select payload from outbox where kind = 'expense.added' and payload->'payload'->>'expenseId' = ${String(expenseId)} order by recipient_id`,
  )) as unknown as { rows: { payload: Payload }[] };
  return r.rows.map((row) => row.payload);
}

async function equalExpense(payer: number, people: number[]): Promise<number> {
  const res = await t.call(
    "POST",
    "/expenses",
    {
      description: "Bill",
      paid_by: payer,
      amount: `${people.length}.00`,
      split_type: "EQUAL",
      participants: people,
    },
    { as: payer },
  );
  expect(res.status).toBe(201);
  return res.body.expenseid as number;
}

it("a small expense's mails list everyone involved; a big one's only the payers", async () => {
  const people: number[] = [];
  for (let i = 0; i < MAX_BALANCE_LINES + 5; i++) people.push(await t.user(`P${i}`));
  const [payer = 0] = people;

  const small = await messagesOf(await equalExpense(payer, people.slice(0, 4)));
  expect(small).toHaveLength(4);
  for (const m of small) expect(m.payload.involvedIds).toEqual(people.slice(0, 4));

  const big = await messagesOf(await equalExpense(payer, people));
  expect(big).toHaveLength(people.length);
  for (const m of big) {
    expect(m.payload.involvedIds).toEqual([payer]);
    // Each participant owes the payer 1.00 from the small bill (if in it) and 1.00 from this one.
    const owed = m.recipientId === payer ? null : people.indexOf(m.recipientId) < 4 ? 200 : 100;
    expect(m.payload.balanceWithPayer).toBe(owed);
    expect(m.payload.yourDebts).toEqual([]); // named only when several paid
  }
});
