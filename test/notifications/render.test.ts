import { describe, expect, it } from "vitest";
import { type NotificationMessage, parseMessage } from "../../src/notifications/message.js";
import { type OptionalMessage, renderMessage } from "../../src/notifications/render.js";

const links = { publicUrl: "http://evenly.test", unsubscribe: "http://evenly.test/unsubscribe?x" };

const message = (payload: Partial<Record<string, unknown>> = {}) =>
  ({
    v: 1,
    kind: "expense.added",
    dedupeKey: "expense:1:v1:to:1",
    recipientId: 1,
    payload: {
      expenseId: 1,
      version: 1,
      description: "Dinner",
      amount: 30000,
      currency: "INR",
      date: "2026-11-20",
      payerId: 1,
      payerName: "Asha",
      actorName: "Asha",
      yourShare: 10000,
      balanceWithPayer: null,
      participantCount: 3,
      ...payload,
    },
  }) as Extract<NotificationMessage, { kind: "expense.added" }>;

describe("the balance lines that end an expense mail", () => {
  it("the payer's mail lists each person involved: owed, owing or square", () => {
    const mail = renderMessage(message({ involvedIds: [1, 2, 3, 4] }), "Asha", links, [
      { name: "Bela", owes: -10000 },
      { name: "Chetan", owes: 2550 },
      { name: "Dev <b>", owes: 0 },
    ]);
    const balance = mail.text.split("\n").filter((l) => /in total|square/.test(l));
    expect(balance).toEqual([
      "Bela now owes you ₹100.00 in total.",
      "You now owe Chetan ₹25.50 in total.",
      "You and Dev <b> are now square.",
    ]);
    // After the expense's facts, before the link.
    expect(mail.text.indexOf("Split among")).toBeLessThan(mail.text.indexOf("Bela now owes"));
    expect(mail.text.indexOf("square")).toBeLessThan(mail.text.indexOf("See the expense"));
    expect(mail.html).toContain("<p>Bela now owes you ₹100.00 in total.</p>");
    expect(mail.html).toContain("<p>You and Dev &lt;b&gt; are now square.</p>");
  });

  it("an older message without the people involved keeps its one line about the payer", () => {
    const mail = renderMessage(
      message({ payerId: 2, payerName: "Bela", balanceWithPayer: 10000 }),
      "Asha",
      links,
    );
    expect(mail.text).toContain("You now owe Bela ₹100.00 in total.");
    const payers = renderMessage(message(), "Asha", links);
    expect(payers.text).not.toContain("in total");
  });
});

describe("a restored expense's mail", () => {
  it("says who restored it and that it counts again", () => {
    const restored = {
      ...message(),
      kind: "expense.restored",
    } as unknown as Extract<NotificationMessage, { kind: "expense.restored" }>;
    const mail = renderMessage(restored, "Bela", links, []);
    expect(mail.subject).toContain("restored");
    expect(mail.text).toContain("Asha restored an expense; it counts towards your balances again.");
    expect(mail.html).toContain("it counts towards your balances again");
  });
});

describe("an expense's category and notes in its mails", () => {
  const notes = 'Paid in cash.\n<script>alert("x")</script>\n\nReceipt & change in the drawer.';
  const kinds = ["expense.added", "expense.updated", "expense.deleted", "expense.restored"];

  it("every expense mail shows them: the text line by line, the HTML escaped with <br>", () => {
    for (const kind of kinds) {
      const msg = { ...message({ category: "Food <& drink>", notes }), kind } as OptionalMessage;
      const mail = renderMessage(msg, "Bela", links, []);
      const lines = mail.text.split("\n");
      expect(lines, kind).toContain("  Category: Food <& drink>");
      const at = lines.indexOf("  Notes:");
      expect(lines.slice(at + 1, at + 5), kind).toEqual([
        "    Paid in cash.",
        '    <script>alert("x")</script>',
        "",
        "    Receipt & change in the drawer.",
      ]);
      expect(mail.html).toContain("<td>Food &lt;&amp; drink&gt;</td>");
      expect(mail.html).toContain(
        "Paid in cash.<br>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br><br>Receipt &amp; change in the drawer.",
      );
      expect(mail.html).not.toContain("<script>");
      // Only the description is in the subject (a header): never the notes, nor the category.
      expect(mail.subject).not.toMatch(/script|cash|Food/);
    }
  });

  it("1000 characters of notes are shown whole, in one line or many", () => {
    const long = `${"é".repeat(999)}x`;
    const mail = renderMessage(message({ notes: long }), "Bela", links, []);
    expect(mail.text).toContain(`    ${long}`);
    expect(mail.html).toContain(long);
    expect(mail.text).not.toContain("…");
  });

  it("a message without them (written before they were carried, or null) shows neither", () => {
    for (const payload of [{}, { category: null, notes: null }]) {
      const mail = renderMessage(message(payload), "Bela", links, []);
      expect(mail.text).not.toMatch(/Category|Notes/);
      expect(mail.html).not.toMatch(/Category|Notes/);
      expect(mail.text).toContain("Dinner — ₹300.00 on 2026-11-20");
    }
    // An older message parses as it was written (redelivery).
    const older = parseMessage(JSON.stringify(message()));
    expect(renderMessage(older as OptionalMessage, "Bela", links).text).toContain("Your share");
  });
});

describe("a settlement mail's note", () => {
  const settlement = (payload: Record<string, unknown> = {}) =>
    ({
      v: 1,
      kind: "settlement.recorded",
      dedupeKey: "settlement:1:to:2",
      recipientId: 2,
      payload: {
        settlementId: 1,
        fromId: 1,
        fromName: "Asha",
        toId: 2,
        toName: "Bela",
        amount: 50000,
        currency: "INR",
        actorName: "Asha",
        balanceWithActor: 0,
        ...payload,
      },
    }) as OptionalMessage;

  it("is shown line by line, escaped in the HTML, never in the subject", () => {
    const mail = renderMessage(
      settlement({ note: "Cash at the airport\n<b>thanks</b>" }),
      "Bela",
      links,
    );
    const lines = mail.text.split("\n");
    const at = lines.indexOf("Note:");
    expect(lines.slice(at + 1, at + 3)).toEqual(["  Cash at the airport", "  <b>thanks</b>"]);
    expect(mail.html).toContain("Cash at the airport<br>&lt;b&gt;thanks&lt;/b&gt;");
    expect(mail.html).not.toContain("<b>thanks");
    expect(mail.subject).not.toMatch(/airport|thanks/);
  });

  it("a settlement without one (older messages, or null) has no note", () => {
    for (const payload of [{}, { note: null }]) {
      const mail = renderMessage(settlement(payload), "Bela", links);
      expect(mail.text).not.toContain("Note");
      expect(mail.html).not.toContain("Note");
      expect(mail.text).toContain("Asha recorded that they paid you ₹500.00.");
    }
  });
});
