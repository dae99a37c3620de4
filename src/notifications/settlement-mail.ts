import { formatMoney } from "../domain/currency.js";
import { toOneLine } from "../domain/text.js";
import { escapeHtml } from "../lib/html.js";
import type { SettlementPayload } from "./message.js";
import { indentLines, linesHtml, noteLines } from "./notes-text.js";

/**
 * "Bela recorded that you paid them ₹500.00", with where the two of you stand now in that
 * currency (messages from before currencies: INR).
 */
export function settlementMail(
  p: SettlementPayload,
  recipientId: number,
  recipientName: string,
  links: { home: string; unsubscribe: string },
): { subject: string; text: string; html: string } {
  const actor = toOneLine(p.actorName, 60);
  const rupees = (minor: number) => formatMoney(minor, p.currency);
  const what =
    p.fromId === recipientId
      ? `${actor} recorded that you paid them ${rupees(p.amount)}`
      : `${actor} recorded that they paid you ${rupees(p.amount)}`;
  const b = p.balanceWithActor;
  const balance =
    b > 0
      ? `You now owe ${actor} ${rupees(b)} in total.`
      : b < 0
        ? `${actor} now owes you ${rupees(-b)} in total.`
        : `You and ${actor} are now square.`;
  const subject = toOneLine(`${what}`);
  // The note (absent in older messages) is in the body only, never in the subject.
  const note = noteLines(p.note);
  const text = [
    `Hi ${recipientName},`,
    "",
    `${what}.`,
    "",
    ...(note.length > 0 ? ["Note:", ...indentLines(note, "  "), ""] : []),
    balance,
    "",
    `If this is not right, talk to ${actor} or record a correction: ${links.home}`,
    "",
    `Don't want these mails? ${links.unsubscribe}`,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Hi ${escapeHtml(recipientName)},</p>
<p>${escapeHtml(what)}.</p>
${note.length > 0 ? `<p><strong>Note:</strong><br>${linesHtml(note)}</p>\n` : ""}<p><strong>${escapeHtml(balance)}</strong></p>
<p><a href="${escapeHtml(links.home)}">See your balances</a></p>
<p style="color:#555;font-size:small"><a href="${escapeHtml(links.unsubscribe)}">Unsubscribe from expense mails</a></p>
</body></html>`;
  return { subject, text, html };
}
