import { sql } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { SOMEONE } from "../../src/notifications/strangers.js";
import { createFixtureUser } from "../helpers/app.js";
import { drainNotifications, type MailApp, startMailApp } from "../helpers/mail-app.js";

// Nobody sees a person they do not know, in a mail either: Asha, taken out of an expense by an
// edit, is told about the new version, whose people she does not know. Through the whole
// pipeline (outbox, relay, queue, handler, a real SMTP server).

let m: MailApp;
beforeAll(async () => {
  m = await startMailApp();
});
afterAll(async () => m.close());

const drain = (timeoutMs?: number) => drainNotifications(m.db, timeoutMs);

type U = { id: number; email: string; headers: Record<string, string> };
let asha: U;
let bela: U;
let dmitri: U;
beforeEach(async () => {
  await drain();
  await m.db.db.execute(sql`truncate outbox, notification_deliveries`);
  await m.db.reset();
  m.smtp.mails.length = 0;
  asha = await createFixtureUser(m.db.db, "Asha");
  bela = await createFixtureUser(m.db.db, "Bela", { friends: [asha.id] });
  // Bela's friend, whom Asha has never met.
  dmitri = await createFixtureUser(m.db.db, "Dmitri Stranger", { friends: [bela.id] });
});

const send = async (method: "POST" | "PUT", url: string, payload: object, as: U) => {
  const res = await m.app.inject({ method, url, headers: as.headers, payload });
  return { status: res.statusCode, body: res.json() };
};
const to = (mail: ParsedMail) => (mail.to as { text: string }).text;
const whole = (mail: ParsedMail) =>
  [mail.subject, mail.text, String(mail.html), ...mail.headerLines.map((h) => h.line)].join("\n");

async function mailsTo(user: U, count: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mine = m.smtp.mails.filter((x) => to(x) === user.email);
    if (mine.length >= count) return mine;
    if (Date.now() > deadline) throw new Error(`${count} mails to ${user.email}: ${mine.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it.each([
  ["Bela still pays, Dmitri takes Asha's place", () => ({ paid_by: bela.id })],
  ["Dmitri pays and takes Asha's place", () => ({ paid_by: dmitri.id })],
])("an edit that takes Asha out: her mail never names Dmitri (%s)", async (_, over) => {
  const body = { amount: "300.00", split_type: "EQUAL", description: "Cab" };
  const added = await send(
    "POST",
    "/expenses",
    { ...body, paid_by: bela.id, participants: [asha.id, bela.id] },
    bela,
  );
  expect(added.status).toBe(201);
  const url = `/expenses/${added.body.expenseid}`;
  const edited = await send(
    "PUT",
    url,
    { ...body, ...over(), participants: [bela.id, dmitri.id] },
    bela,
  );
  expect(edited.status, JSON.stringify(edited.body)).toBe(200);
  // Asha no longer sees the expense, nor Dmitri.
  expect((await m.app.inject({ method: "GET", url, headers: asha.headers })).statusCode).toBe(404);
  const [, updated] = await mailsTo(asha, 2);
  expect(updated?.subject).toContain("updated");
  const text = whole(updated as ParsedMail);
  expect(text).not.toContain("Dmitri");
  expect(text).not.toContain(dmitri.email);
  expect(text).toContain("Bela"); // whom she does know is still named
  if (over().paid_by === dmitri.id) expect(updated?.text).toContain(`Paid by: ${SOMEONE}`);
  // Those who know him read his name.
  await drain();
  const belas = m.smtp.mails.filter((x) => to(x) === bela.email);
  expect(belas.some((x) => (x.text ?? "").includes("Dmitri Stranger"))).toBe(true);
});
