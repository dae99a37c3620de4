import { describe, expect, it } from "vitest";
import type { NotificationMessage } from "../../src/notifications/message.js";
import { renderMessage } from "../../src/notifications/render.js";

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
