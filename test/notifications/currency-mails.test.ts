import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { parseMessage } from "../../src/notifications/message.js";
import { type OptionalMessage, renderMessage } from "../../src/notifications/render.js";
import { enqueueWeeklySummaries } from "../../src/notifications/weekly.js";
import { createFixtureUser } from "../helpers/app.js";
import { drainNotifications, type MailApp, startMailApp } from "../helpers/mail-app.js";

// Mails write each amount in its own currency (₹, ¥, KWD), through the real pipeline and SMTP.
let m: MailApp;
beforeAll(async () => {
  m = await startMailApp();
});
afterAll(async () => m.close());

const drain = (timeoutMs?: number) => drainNotifications(m.db, timeoutMs);

type U = { id: number; email: string; headers: Record<string, string> };
let asha: U;
let bela: U;
beforeEach(async () => {
  await drain();
  await m.db.db.execute(sql`truncate outbox, notification_deliveries`);
  await m.db.reset();
  m.smtp.mails.length = 0;
  asha = await createFixtureUser(m.db.db, "Asha");
  bela = await createFixtureUser(m.db.db, "Bela", { friends: [asha.id] });
});

const post = async (url: string, payload: object, as: U) => {
  const res = await m.app.inject({ method: "POST", url, headers: as.headers, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};

/** The mails sent to `to`, after everything queued was sent. */
async function mailsTo(to: U, count: number) {
  await m.smtp.waitFor(count);
  await drain();
  return m.smtp.mails.filter((x) => (x.to as { text: string } | undefined)?.text === to.email);
}

const spend = (as: U, body: object) =>
  post(
    "/expenses",
    {
      paid_by: as.id,
      split_type: "EQUAL",
      participants: [asha.id, bela.id],
      description: "Dinner",
      ...body,
    },
    as,
  );

it("an expense mail gives the amount, the share and each balance in its own currency", async () => {
  await spend(asha, { amount: "100.00" }); // Bela owes Asha ₹50.00
  await mailsTo(bela, 2);
  m.smtp.mails.length = 0;
  await spend(asha, { amount: 1000, currency: "JPY", description: "Ramen" }); // and ¥500
  const [mail] = await mailsTo(bela, 2);
  expect(mail?.subject).toContain('"Ramen" (¥1,000)');
  expect(mail?.text).toContain("Ramen — ¥1,000 on");
  expect(mail?.text).toContain("Your share: ¥500");
  // The balance with Asha in each currency, never added together.
  expect(mail?.text).toContain("You now owe Asha");
  const lines = (mail?.text ?? "").split("\n").filter((l) => l.includes("in total"));
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^You now owe Asha \d+ ₹50\.00 in total\.$/);
  expect(lines[1]).toMatch(/^You now owe Asha \d+ ¥500 in total\.$/);
});

it("a settlement mail is in the payment's currency, with the balance in that currency", async () => {
  await spend(asha, { amount: "1.000", currency: "KWD" }); // Bela owes Asha 0.500 KWD
  await mailsTo(bela, 2);
  m.smtp.mails.length = 0;
  await post(
    "/settlements",
    { from_user: bela.id, to_user: asha.id, amount: "0.250", currency: "KWD" },
    bela,
  );
  const [mail] = await mailsTo(asha, 1);
  expect(mail?.subject).toMatch(/recorded that they paid you KWD\s0\.250$/);
  expect(mail?.text).toMatch(/now owes you KWD\s0\.250 in total\./);
});

it("the weekly summary lists each balance in its currency and the net per currency", async () => {
  await spend(asha, { amount: "100.00" }); // Bela owes Asha ₹50.00
  await spend(bela, { amount: 600, currency: "JPY" }); // Asha owes Bela ¥300
  await enqueueWeeklySummaries(m.db.db, { timeZone: "Asia/Kolkata", currency: "INR" });
  const r = (await m.db.db.execute(
    sql`select payload from outbox where recipient_id = ${asha.id} and kind = 'weekly.summary'`,
  )) as unknown as { rows: { payload: unknown }[] };
  const msg = parseMessage(r.rows[0]?.payload) as OptionalMessage;
  expect(msg.payload).toMatchObject({
    net: 5000,
    currency: "INR",
    nets: [
      { currency: "INR", amount: 5000 },
      { currency: "JPY", amount: -300 },
    ],
  });
  const mail = renderMessage(msg, "Asha", {
    publicUrl: "http://evenly.test",
    unsubscribe: "http://evenly.test/unsubscribe",
  });
  expect(mail.text).toMatch(/Bela \d+ owes you ₹50\.00/);
  expect(mail.text).toMatch(/You owe Bela \d+ ¥300/);
  expect(mail.text).toContain("In total: you are owed ₹50.00; you owe ¥300.");
  expect(mail.subject).toContain("you are owed ₹50.00; you owe ¥300");
});
