import { sql } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { writeOutbox } from "../../src/db/repos/outbox.js";
import { createFixtureUser } from "../helpers/app.js";
import { drainNotifications, type MailApp, startMailApp } from "../helpers/mail-app.js";

// An expense's category and notes in the mails about it, through the whole pipeline (outbox row
// in the expense's transaction, relay, queue, handler, a real SMTP server): shown, escaped in the
// HTML part, never in a header. Messages written before they were carried still render.

let m: MailApp;
beforeAll(async () => {
  m = await startMailApp();
});
afterAll(async () => m.close());

const drain = (timeoutMs?: number) => drainNotifications(m.db, timeoutMs);

type U = { id: number; email: string; headers: Record<string, string> };
let asha: U;
let bela: U;
let chen: U;
beforeEach(async () => {
  await drain();
  await m.db.db.execute(sql`truncate outbox, notification_deliveries`);
  await m.db.reset();
  m.smtp.mails.length = 0;
  asha = await createFixtureUser(m.db.db, "Asha");
  bela = await createFixtureUser(m.db.db, "Bela", { friends: [asha.id] });
  chen = await createFixtureUser(m.db.db, "Chen", { friends: [asha.id, bela.id] });
});

const send = async (method: "POST" | "PUT", url: string, payload: object, as: U) => {
  const res = await m.app.inject({ method, url, headers: as.headers, payload });
  return { status: res.statusCode, body: res.json() };
};
const to = (mail: ParsedMail) => (mail.to as { text: string }).text;
/** Every header line as sent, folded lines unfolded. */
const headerText = (mail: ParsedMail) =>
  mail.headerLines.map((h) => h.line.replace(/\r?\n\s+/g, " ")).join("\n");

const notes =
  "Paid in cash at the counter.\r\n<script>alert('owed')</script>\n\nReceipt & change: drawer";
const noteLines = [
  "Paid in cash at the counter.",
  "<script>alert('owed')</script>",
  "",
  "Receipt & change: drawer",
];
const escapedNotes =
  "Paid in cash at the counter.<br>&lt;script&gt;alert(&#39;owed&#39;)&lt;/script&gt;<br><br>Receipt &amp; change: drawer";

/** The lines of a text part after its "Notes:" line, unindented, as many as `noteLines`. */
const notesIn = (text: string | undefined, label = "  Notes:") => {
  const lines = (text ?? "").split("\n");
  const at = lines.indexOf(label);
  return at < 0 ? [] : lines.slice(at + 1, at + 1 + noteLines.length).map((l) => l.trim());
};

describe("expense mails", () => {
  it("each participant's added and edited mail shows the category and notes, escaped in HTML", async () => {
    const body = {
      paid_by: asha.id,
      amount: "900.00",
      split_type: "EQUAL",
      participants: [asha.id, bela.id, chen.id],
      description: "Market",
      category: "Groceries <veg>",
      notes,
    };
    const created = await send("POST", "/expenses", body, asha);
    expect(created.status).toBe(201);
    // They travel in the outbox rows written with the expense (stored: CR LF as LF).
    const rows = (await m.db.db.execute(
      sql`select payload->'payload' as p from outbox where kind = 'expense.added'`,
    )) as unknown as { rows: { p: { category: string; notes: string } }[] };
    expect(rows.rows).toHaveLength(3);
    for (const { p } of rows.rows)
      expect(p).toMatchObject({ category: "Groceries <veg>", notes: noteLines.join("\n") });
    await m.smtp.waitFor(3);
    await drain();
    expect(m.smtp.mails.map(to).sort()).toEqual([asha.email, bela.email, chen.email].sort());
    for (const mail of m.smtp.mails) {
      expect(mail.subject).toMatch(/added "Market"/);
      expect(mail.text).toContain("  Category: Groceries <veg>");
      expect(notesIn(mail.text)).toEqual(noteLines);
      expect(mail.html).toContain("<td>Groceries &lt;veg&gt;</td>");
      expect(mail.html).toContain(escapedNotes);
      expect(mail.html).not.toMatch(/<script|<veg>/);
      // Nothing of the notes or the category reaches a header (the subject included).
      expect(headerText(mail)).not.toMatch(/script|Receipt|drawer|Groceries/i);
    }

    // The edit's mails carry the new text; a category removed is no longer shown.
    m.smtp.mails.length = 0;
    const edited = await send(
      "PUT",
      `/expenses/${created.body.expenseid}`,
      { ...body, category: null, notes: "Second line <b>bold</b>\nthird" },
      asha,
    );
    expect(edited.status).toBe(200);
    await m.smtp.waitFor(3);
    await drain();
    for (const mail of m.smtp.mails) {
      expect(mail.subject).toMatch(/updated "Market"/);
      expect(mail.text).not.toContain("Category:");
      expect(notesIn(mail.text).slice(0, 2)).toEqual(["Second line <b>bold</b>", "third"]);
      expect(mail.html).toContain("Second line &lt;b&gt;bold&lt;/b&gt;<br>third");
    }
  });

  it("1000 characters of notes are mailed whole", async () => {
    const long = `${"Long note ".repeat(99)}0123456789`;
    expect(long).toHaveLength(1000);
    const res = await send(
      "POST",
      "/expenses",
      {
        paid_by: asha.id,
        amount: "10.00",
        split_type: "EQUAL",
        participants: [asha.id, bela.id],
        description: "Taxi",
        notes: long,
      },
      asha,
    );
    expect(res.status).toBe(201);
    await m.smtp.waitFor(2);
    await drain();
    for (const mail of m.smtp.mails) {
      expect(mail.text).toContain(`    ${long}\n`);
      expect(mail.html).toContain(long);
    }
  });

  it("a message written before category and notes were carried is still delivered", async () => {
    // The shape an expense.added message had before this change (no category, no notes).
    const old = {
      v: 1,
      kind: "expense.added",
      dedupeKey: "expense:999:v1:to:old",
      recipientId: bela.id,
      payload: {
        expenseId: 999,
        version: 1,
        description: "Old dinner",
        amount: 20000,
        currency: "INR",
        date: "2026-01-10",
        payerId: asha.id,
        payerName: "Asha",
        actorName: "Asha",
        yourShare: 10000,
        balanceWithPayer: 10000,
        participantCount: 2,
      },
    };
    await writeOutbox(m.db.db, [old]);
    m.runtime.kick();
    await m.smtp.waitFor(1);
    await drain();
    const [mail] = m.smtp.mails;
    expect(mail && to(mail)).toBe(bela.email);
    expect(mail?.subject).toBe('Asha added "Old dinner" (₹200.00)');
    expect(mail?.text).toContain("Old dinner — ₹200.00 on 2026-01-10");
    expect(mail?.text).not.toMatch(/Category|Notes/);
    expect(mail?.html).not.toMatch(/Category|Notes/);
  });
});
