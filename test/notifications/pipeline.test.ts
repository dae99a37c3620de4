import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { countOutbox } from "../../src/db/repos/outbox.js";
import { listDeadLetters, retryDeadLetters } from "../../src/notifications/dead-letters.js";
import { handleNotification, messageIdFor } from "../../src/notifications/handler.js";
import { parseMessage } from "../../src/notifications/message.js";
import type { NotificationRuntime } from "../../src/notifications/runtime.js";
import { loadSecret } from "../../src/notifications/tokens.js";
import { enqueueWeeklySummaries } from "../../src/notifications/weekly.js";
import { smtpMailer } from "../../src/smtp/mailer.js";
import { createFixtureUser } from "../helpers/app.js";
import type { TestDatabase } from "../helpers/database.js";
import { drainNotifications, type MailApp, startMailApp } from "../helpers/mail-app.js";
import type { SmtpSink } from "../helpers/smtp.js";

let m: MailApp;
let db: TestDatabase;
let smtp: SmtpSink;
let runtime: NotificationRuntime;
let app: FastifyInstance;
let config: Config;

beforeAll(async () => {
  m = await startMailApp({ NOTIFY_RETRY_LIMIT: "2", NOTIFY_RETRY_DELAY_SECONDS: "1" });
  ({ db, smtp, runtime, app, config } = m);
});
afterAll(async () => m.close());
/** Waits until every published notification was handled, so no mail leaks into the next test. */
const drain = (timeoutMs?: number) => drainNotifications(db, timeoutMs);

beforeEach(async () => {
  smtp.refusing = false;
  await drain();
  await runtime.boss.purgeQueue("notification");
  await runtime.boss.purgeQueue("notification-dead");
  await db.db.execute(sql`truncate outbox, notification_deliveries`);
  await db.reset();
  people.clear();
  smtp.mails.length = 0;
  smtp.refusing = false;
});

interface Person {
  name: string;
  email: string;
  headers: Record<string, string>;
}
const people = new Map<number, Person>();
const person = (id: number) => people.get(id) as Person;

/** An API request made by the user `as`. */
const call = async (
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  url: string,
  payload: object | undefined,
  as: number,
) => {
  const res = await app.inject({
    method,
    url,
    headers: person(as).headers,
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
};
/** A user with an account and an API token (their name and email are what mails show). */
const user = async (name: string) => {
  // Fixture users know each other (friends), as people who split expenses do.
  const u = await createFixtureUser(db.db, name, { friends: [...people.keys()] });
  const [row] = (
    (await db.db.execute(sql`select name from users where id = ${u.id}`)) as unknown as {
      rows: { name: string }[];
    }
  ).rows;
  people.set(u.id, { name: row?.name ?? name, email: u.email, headers: u.headers });
  return u.id;
};
const emailsOf = (...ids: number[]) => ids.map((id) => person(id).email).sort();
/** A header exactly as sent (mailparser restructures List-* headers). */
const rawHeader = (mail: ParsedMail | undefined, name: string) =>
  mail?.headerLines
    .find((h) => h.key === name)
    ?.line.replace(/^[^:]+:\s*/, "")
    .replace(/\r?\n\s+/g, "");
const settle = async (ms = 800) => new Promise((r) => setTimeout(r, ms));

describe("expense mails", () => {
  it("adding an expense with 5 participants delivers exactly 5 correct mails", async () => {
    const ids = [
      await user("Asha"),
      await user("Bela"),
      await user("Chetan"),
      await user("Dev"),
      await user("Esha"),
    ];
    const res = await call(
      "POST",
      "/expenses",
      {
        paid_by: ids[0],
        amount: "1000.00",
        split_type: "PERCENTAGE",
        participants: ids,
        split_values: [40, 15, 15, 15, 15],
        description: "Goa <villa>",
      },
      ids[0] as number,
    );
    expect(res.status).toBe(201);
    await smtp.waitFor(5);
    await settle();
    expect(smtp.mails).toHaveLength(5);
    const byTo = new Map(smtp.mails.map((m) => [(m.to as { text: string }).text, m]));
    expect(byTo.size).toBe(5);
    const bela = [...byTo.entries()].find(([to]) => to.startsWith("bela"))?.[1];
    expect(bela?.subject).toContain("Goa <villa>");
    const asha = person(ids[0] as number).name;
    expect(bela?.text).toContain(`Paid by: ${asha}`);
    expect(bela?.text).toContain("Your share: ₹150.00");
    expect(bela?.text).toContain(`You now owe ${asha} ₹150.00 in total.`);
    expect(bela?.text).toContain(`http://evenly.test/app/expenses/${res.body.expenseid}`);
    expect(bela?.html).toContain("Goa &lt;villa&gt;");
    expect(rawHeader(bela, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(rawHeader(bela, "list-unsubscribe")).toMatch(
      /^<http:\/\/evenly\.test\/unsubscribe\?token=[^>]+>$/,
    );
    expect(bela?.messageId).toBe(
      messageIdFor(`expense:${res.body.expenseid}:v1:to:${ids[1]}`, config.MAIL_FROM),
    );
    const toAsha = [...byTo.entries()].find(([to]) => to.startsWith("asha"))?.[1];
    expect(toAsha?.text).toContain("Your share: ₹400.00");
    // The payer's mail ends with what each of the others now owes her (read when it is sent).
    for (const [i, share] of [
      [1, "150.00"],
      [2, "150.00"],
      [3, "150.00"],
      [4, "150.00"],
    ] as const)
      expect(toAsha?.text).toContain(
        `${person(ids[i] as number).name} now owes you ₹${share} in total.`,
      );
    expect(toAsha?.html).toContain(`${person(ids[1] as number).name} now owes you ₹150.00`);
    // A participant's mail: the payer first, then everyone else in the expense.
    const lines = (bela?.text ?? "")
      .split("\n")
      .filter((l) => l.includes("square") || l.includes("in total"));
    expect(lines[0]).toBe(`You now owe ${asha} ₹150.00 in total.`);
    expect(lines.slice(1)).toEqual(
      [2, 3, 4].map((i) => `You and ${person(ids[i] as number).name} are now square.`),
    );
  });

  it("editing and deleting notify everyone involved, including someone removed from the split", async () => {
    const [a, b, c] = [await user("A"), await user("B"), await user("C")];
    const created = await call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: 90,
        split_type: "EQUAL",
        participants: [a, b, c],
        description: "cab",
      },
      a,
    );
    await smtp.waitFor(3);
    smtp.mails.length = 0;
    const edited = await call(
      "PUT",
      `/expenses/${created.body.expenseid}`,
      {
        paid_by: a,
        amount: 60,
        split_type: "EQUAL",
        participants: [a, b],
        description: "cab",
      },
      a,
    );
    expect(edited.status).toBe(200);
    await smtp.waitFor(3);
    const removed = smtp.mails.find((m) => (m.to as { text: string }).text.startsWith("c"));
    expect(removed?.subject).toMatch(/updated/);
    expect(removed?.text).toContain("Your share: ₹0.00");
    expect(removed?.text).toContain(`You and ${person(a).name} are now square.`);
    smtp.mails.length = 0;
    expect((await call("DELETE", `/expenses/${created.body.expenseid}`, undefined, a)).status).toBe(
      204,
    );
    await smtp.waitFor(2);
    await settle();
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails.every((m) => /deleted/.test(m.subject ?? ""))).toBe(true);
  });

  it("writes outbox rows in the expense's transaction: none for a refused request", async () => {
    const [a, b] = [await user("A"), await user("B")];
    const refused = await call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: "1.001",
        split_type: "EQUAL",
        participants: [a, b],
        description: "x",
      },
      a,
    );
    expect(refused.status).toBe(422);
    expect((await countOutbox(db.db)).total).toBe(0);
    await call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: "1",
        split_type: "EQUAL",
        participants: [a, b],
        description: "x",
      },
      a,
    );
    expect((await countOutbox(db.db)).total).toBe(2);
  });
});

describe("preferences and unsubscribe", () => {
  it("honours per-expense preferences and one-click unsubscribe", async () => {
    const [a, b, c] = [await user("A"), await user("B"), await user("C")];
    expect((await call("GET", `/users/${b}/preferences`, undefined, b)).body).toEqual({
      expense_emails: true,
      weekly_summary: true,
    });
    expect(
      (await call("PATCH", `/users/${b}/preferences`, { expense_emails: false }, b)).body,
    ).toEqual({
      expense_emails: false,
      weekly_summary: true,
    });
    await call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: 30,
        split_type: "EQUAL",
        participants: [a, b, c],
        description: "x",
      },
      a,
    );
    await smtp.waitFor(2);
    await settle();
    expect(smtp.mails.map((m) => (m.to as { text: string }).text).sort()).toEqual(emailsOf(a, c));

    // C clicks the one-click unsubscribe from the mail (RFC 8058 POST, no login).
    const link = rawHeader(
      smtp.mails.find((m) => (m.to as { text: string }).text.startsWith("c")),
      "list-unsubscribe",
    );
    const url = new URL((link ?? "").slice(1, -1));
    const page = await app.inject({ method: "GET", url: `${url.pathname}${url.search}` });
    expect(page.statusCode).toBe(200);
    // GET changes nothing.
    expect((await call("GET", `/users/${c}/preferences`, undefined, c)).body.expense_emails).toBe(
      true,
    );
    const post = await app.inject({
      method: "POST",
      url: `${url.pathname}${url.search}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(post.statusCode).toBe(200);
    expect((await call("GET", `/users/${c}/preferences`, undefined, c)).body.expense_emails).toBe(
      false,
    );
    const forged = await app.inject({
      method: "POST",
      url: `/unsubscribe?token=${a}.expenses.${"A".repeat(43)}`,
    });
    expect(forged.statusCode).toBe(400);
    expect((await call("GET", `/users/${a}/preferences`, undefined, a)).body.expense_emails).toBe(
      true,
    );
  });
});

describe("delivery guarantees", () => {
  it("a redelivered message is not sent twice", async () => {
    const [a, b] = [await user("A"), await user("B")];
    await call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: 10,
        split_type: "EQUAL",
        participants: [a, b],
        description: "x",
      },
      a,
    );
    await smtp.waitFor(2);
    const [row] = (
      (await db.db.execute(sql`select payload from outbox order by id limit 1`)) as unknown as {
        rows: { payload: unknown }[];
      }
    ).rows;
    const deps = {
      db: db.db,
      mailer: smtpMailer(smtp.url, config.MAIL_FROM),
      secret: await loadSecret(db.db, undefined),
      publicUrl: config.PUBLIC_URL,
      mailFrom: config.MAIL_FROM,
      leaseSeconds: 60,
      inviteTtlHours: config.INVITE_TTL_HOURS,
      resetTtlMinutes: config.RESET_TTL_MINUTES,
    };
    expect(await handleNotification(parseMessage(row?.payload), deps)).toBe("duplicate");
    expect(await handleNotification(parseMessage(row?.payload), deps)).toBe("duplicate");
    await settle(300);
    expect(smtp.mails).toHaveLength(2);
  });

  it("retries while the SMTP server refuses, then delivers; after N failures the mail is in the dead-letter queue and can be retried", async () => {
    const [a, b] = [await user("A"), await user("B")];
    smtp.refusing = true;
    await call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: 10,
        split_type: "EQUAL",
        participants: [a, b],
        description: "flaky",
      },
      a,
    );
    // 1 attempt + NOTIFY_RETRY_LIMIT (2) retries, each refused, then dead-lettered.
    const deadline = Date.now() + 30_000;
    while ((await listDeadLetters(runtime.boss)).length < 2) {
      if (Date.now() > deadline) throw new Error(`not dead-lettered; refused ${smtp.refused}`);
      await settle(250);
    }
    expect(smtp.refused).toBeGreaterThanOrEqual(6);
    expect(smtp.mails).toHaveLength(0);
    const dead = await listDeadLetters(runtime.boss);
    expect(dead.map((d) => d.kind)).toEqual(["expense.added", "expense.added"]);
    console.log(`dead-lettered ${dead.length} after ${smtp.refused} refused attempts`);

    smtp.refusing = false; // the server recovers; an operator re-drives the dead letters
    expect(await retryDeadLetters(runtime.boss)).toBe(2);
    await smtp.waitFor(2);
    expect(await listDeadLetters(runtime.boss)).toHaveLength(0);
  });

  it("a temporary refusal is retried and delivered without operator help", async () => {
    const [a, b] = [await user("A"), await user("B")];
    smtp.refusing = true;
    await call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: 10,
        split_type: "EQUAL",
        participants: [a, b],
        description: "blip",
      },
      a,
    );
    while (smtp.refused < 2) await settle(50);
    smtp.refusing = false;
    await smtp.waitFor(2, 20_000);
    await settle();
    expect(smtp.mails).toHaveLength(2);
  });
});

describe("weekly summary", () => {
  it("running the job twice in one week mails each user with a non-zero balance once, and no one who is square", async () => {
    const [a, b, c, d] = [await user("A"), await user("B"), await user("C"), await user("D")];
    await call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: 30,
        split_type: "EQUAL",
        participants: [a, b, c],
        description: "x",
      },
      a,
    );
    await call("POST", "/settlements", { from_user: c, to_user: a, amount: 10 }, c);
    await call("PATCH", `/users/${d}/preferences`, { expense_emails: true }, d);
    // Three expense mails and the settlement's mail to A: all in before the weekly run is counted.
    await smtp.waitFor(4);
    smtp.mails.length = 0;
    const now = new Date("2026-11-23T04:00:00Z"); // a Monday, 09:30 in Kolkata
    const first = await enqueueWeeklySummaries(db.db, { timeZone: "Asia/Kolkata", now });
    const second = await enqueueWeeklySummaries(db.db, {
      timeZone: "Asia/Kolkata",
      now: new Date("2026-11-27T10:00:00Z"),
    });
    expect(first).toEqual({ week: "2026-W48", users: 2, written: 2 });
    expect(second).toEqual({ week: "2026-W48", users: 2, written: 0 });
    runtime.kick();
    await smtp.waitFor(2);
    await settle(1000);
    expect(smtp.mails.map((m) => (m.to as { text: string }).text).sort()).toEqual(emailsOf(a, b));
    const toA = smtp.mails.find((m) => (m.to as { text: string }).text === person(a).email);
    expect(toA?.text).toContain(`${person(b).name} owes you ₹10.00`);
    expect(toA?.text).toContain("In total you are owed ₹10.00.");
  });
});
