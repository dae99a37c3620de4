import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFixtureUser } from "../helpers/app.js";
import { drainNotifications, type MailApp, startMailApp } from "../helpers/mail-app.js";

/** A recorded payment mails the other person through the outbox (issue 18, item 8). */
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

const call = async (method: "POST", url: string, payload: object, as: U) => {
  const res = await m.app.inject({ method, url, headers: as.headers, payload });
  return { status: res.statusCode, body: res.json() };
};
const outboxRows = async () =>
  (
    (await m.db.db.execute(
      sql`select kind, recipient_id, payload from outbox order by id`,
    )) as unknown as { rows: { kind: string; recipient_id: number; payload: unknown }[] }
  ).rows;

describe("settlement mail", () => {
  it("the other person gets one mail with the payment and where the two stand now", async () => {
    const e = await call(
      "POST",
      "/expenses",
      {
        paid_by: asha.id,
        amount: "1000.00",
        split_type: "EQUAL",
        participants: [asha.id, bela.id],
        description: "Rent",
      },
      asha,
    );
    expect(e.status).toBe(201);
    await m.smtp.waitFor(2);
    await drain();
    m.smtp.mails.length = 0;

    // Bela records paying Asha ₹200: Asha (who did not record it) is told; Bela is not.
    const s = await call(
      "POST",
      "/settlements",
      { from_user: bela.id, to_user: asha.id, amount: "200.00" },
      bela,
    );
    expect(s.status).toBe(201);
    await m.smtp.waitFor(1);
    await drain();
    await new Promise((r) => setTimeout(r, 500));
    expect(m.smtp.mails).toHaveLength(1);
    const mail = m.smtp.mails[0];
    expect((mail?.to as { text: string } | undefined)?.text).toBe(asha.email);
    expect(mail?.subject).toMatch(/recorded that they paid you ₹200\.00/);
    expect(mail?.text).toMatch(/now owes you ₹300\.00 in total\./);
    expect(mail?.text).toContain("http://evenly.test/app/settlements");
    expect(mail?.text).toContain("http://evenly.test/unsubscribe?token=");
  });

  it("the outbox row is written with the settlement; a refused settlement writes none", async () => {
    const refused = await call(
      "POST",
      "/settlements",
      { from_user: bela.id, to_user: asha.id, amount: "2.005" },
      bela,
    );
    expect(refused.status).toBe(422);
    expect(await outboxRows()).toEqual([]);
    const ok = await call(
      "POST",
      "/settlements",
      { from_user: asha.id, to_user: bela.id, amount: "50" },
      asha,
    );
    expect(ok.status).toBe(201);
    const rows = await outboxRows();
    expect(rows.map((r) => [r.kind, r.recipient_id])).toEqual([["settlement.recorded", bela.id]]);
    // Bela was paid ₹50 with nothing owed: she now owes Asha ₹50.
    expect(rows[0]?.payload).toMatchObject({
      payload: { amount: 5000, balanceWithActor: 5000, note: null },
    });
    await m.smtp.waitFor(1);
    expect(m.smtp.mails[0]?.text).toMatch(
      /recorded that you paid them|recorded that they paid you/,
    );
  });

  it("the mail shows the payment's note, escaped in HTML and never in a header", async () => {
    const note = "Cash at the airport\r\n<img src=x onerror=alert(1)>\nthanks & bye";
    const s = await call(
      "POST",
      "/settlements",
      { from_user: bela.id, to_user: asha.id, amount: "75.00", note },
      bela,
    );
    expect(s.status).toBe(201);
    await m.smtp.waitFor(1);
    await drain();
    const mail = m.smtp.mails[0];
    const lines = (mail?.text ?? "").split("\n");
    const at = lines.indexOf("Note:");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 4)).toEqual([
      "  Cash at the airport",
      "  <img src=x onerror=alert(1)>",
      "  thanks & bye",
    ]);
    expect(mail?.html).toContain(
      "Cash at the airport<br>&lt;img src=x onerror=alert(1)&gt;<br>thanks &amp; bye",
    );
    expect(mail?.html).not.toContain("<img");
    const headers = mail?.headerLines.map((h) => h.line).join("\n") ?? "";
    expect(headers).not.toMatch(/airport|onerror|thanks/);

    // Without a note, the mail has no note section.
    m.smtp.mails.length = 0;
    await call("POST", "/settlements", { from_user: bela.id, to_user: asha.id, amount: "5" }, bela);
    await m.smtp.waitFor(1);
    expect(m.smtp.mails[0]?.text).not.toContain("Note:");
    expect(m.smtp.mails[0]?.html).not.toContain("Note");
  });

  it("someone who turned expense mails off gets none", async () => {
    await m.db.db.execute(sql`update users set notify_expenses = false where id = ${asha.id}`);
    const s = await call(
      "POST",
      "/settlements",
      { from_user: bela.id, to_user: asha.id, amount: "10" },
      bela,
    );
    expect(s.status).toBe(201);
    await drain();
    await new Promise((r) => setTimeout(r, 500));
    expect(m.smtp.mails).toHaveLength(0);
  });
});
