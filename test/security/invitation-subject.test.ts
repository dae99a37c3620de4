import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitationMail } from "../../src/notifications/render.js";
import { createFixtureUser } from "../helpers/app.js";
import { type MailApp, startMailApp } from "../helpers/mail-app.js";

/**
 * Invitations go to any address someone types, so their subject may carry no more user-chosen
 * text than a short one-line name (security issue item 12). The API refuses line breaks in names
 * now, but rows stored before may hold them: both are checked here.
 */

// 100 characters with a line feed, as an attacker would choose a name.
const HOSTILE_NAME = `You won a prize\nClaim it at prize.example now ${"!".repeat(54)}`;
const SUBJECT_END = " added you to Evenly";
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe("the invitation's subject", () => {
  it("shows at most 40 characters of the inviter's name, on one line", () => {
    expect(HOSTILE_NAME).toHaveLength(100);
    const mail = invitationMail(
      { inviterName: HOSTILE_NAME },
      `Friend\u2028${"x".repeat(90)}`,
      "http://evenly.test/claim?token=t",
      72,
    );
    expect(mail.subject).not.toMatch(NOT_ONE_LINE);
    expect(mail.subject.endsWith(SUBJECT_END)).toBe(true);
    const name = mail.subject.slice(0, -SUBJECT_END.length);
    expect([...name].length).toBeLessThanOrEqual(40);
    expect(name.startsWith("You won a prize Claim it at")).toBe(true);
    // The greeting is short and one line too: the invitee's name was also chosen by the inviter.
    const greeting = mail.text.split("\n")[0] ?? "";
    expect(greeting).toMatch(/^Hi Friend x+…,$/);
    expect([...greeting].length).toBeLessThanOrEqual("Hi ,".length + 40);
  });

  it("says Someone when the name has nothing printable left", () => {
    const mail = invitationMail({ inviterName: "\n\u2028\t" }, "Bela", "http://x/claim", 72);
    expect(mail.subject).toBe(`Someone${SUBJECT_END}`);
  });
});

describe("an invitation sent by a user whose stored name holds a line feed", () => {
  let m: MailApp;
  beforeAll(async () => {
    m = await startMailApp();
  });
  afterAll(async () => m?.close());

  it("reaches the SMTP server with a short one-line subject", async () => {
    // Stored directly, as a row from before the single-line rule would be.
    const inviter = await createFixtureUser(m.db.db, HOSTILE_NAME.slice(0, 97));
    const res = await m.app.inject({
      method: "POST",
      url: "/users",
      headers: inviter.headers,
      payload: { name: "Bela", email: "bela@example.com", mobile_number: "9876500001" },
    });
    expect(res.statusCode).toBe(201);
    await m.smtp.waitFor(1);
    const subject = m.smtp.mails[0]?.subject ?? "";
    expect(subject).not.toMatch(NOT_ONE_LINE);
    expect(subject.endsWith(SUBJECT_END)).toBe(true);
    expect([...subject.slice(0, -SUBJECT_END.length)].length).toBeLessThanOrEqual(40);
    expect(subject).not.toContain("prize.example now");
  });
});
