import { formatMoney } from "../domain/currency.js";
import { toOneLine } from "../domain/text.js";
import { escapeHtml } from "../lib/html.js";
import type {
  ExpensePayload,
  InvitationPayload,
  NotificationMessage,
  WeeklyPayload,
} from "./message.js";
import { indentLines, linesHtml, noteLines } from "./notes-text.js";
import { settlementMail } from "./settlement-mail.js";

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * ₹1,00,000.00, $1,000.00, ¥1,000, KWD 1.500 — each amount in its own currency (messages from
 * before currencies carry none: INR), formatted from the exact decimal text, never from a float.
 */
export const money = (minor: number, currency = "INR") => formatMoney(minor, currency);

/**
 * The recipient's balance with one person in one currency: what the recipient owes them
 * (negative: is owed). A person with balances in several currencies has one per currency.
 */
export interface BalanceWith {
  name: string;
  owes: number;
  /** Absent: INR. */
  currency?: string;
}

function balanceSentence({ name, owes, currency }: BalanceWith): string {
  if (owes > 0) return `You now owe ${name} ${money(owes, currency)} in total.`;
  if (owes < 0) return `${name} now owes you ${money(-owes, currency)} in total.`;
  return `You and ${name} are now square.`;
}

/**
 * How the mail ends: the recipient's balance with each person involved (read at send time), or,
 * for a message written before those were listed, the balance with the payer it carries.
 */
function balanceLines(p: ExpensePayload, balances: BalanceWith[] | undefined): string[] {
  if (balances) return balances.map(balanceSentence);
  if (p.balanceWithPayer === null) return [];
  return [balanceSentence({ name: p.payerName, owes: p.balanceWithPayer, currency: p.currency })];
}

/** "For this expense you owe Asha ₹15.00 and Bela ₹10.00; Chen owes you ₹5.00." (several payers) */
function debtLine(p: ExpensePayload, kind: string): string[] {
  if (!p.yourDebts || (p.payers?.length ?? 1) < 2 || p.yourDebts.length === 0) return [];
  const join = (xs: string[]) =>
    xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1) ?? ""}`;
  const youOwe = p.yourDebts.filter((d) => d.owes > 0);
  const owedBy = p.yourDebts.filter((d) => d.owes < 0);
  const parts = [
    ...(youOwe.length > 0
      ? [`you owe ${join(youOwe.map((d) => `${d.name} ${money(d.owes, p.currency)}`))}`]
      : []),
    ...owedBy.map((d) => `${d.name} owes you ${money(-d.owes, p.currency)}`),
  ];
  const lead = kind === "expense.deleted" ? "This expense had" : "For this expense";
  return [`${lead}: ${parts.join("; ")}.`, ""];
}

function expenseMail(
  kind: "expense.added" | "expense.updated" | "expense.deleted" | "expense.restored",
  p: ExpensePayload,
  recipientName: string,
  links: { expense: string; unsubscribe: string },
  balances: BalanceWith[] | undefined,
): RenderedMail {
  const balanceText = balanceLines(p, balances);
  // Every amount of an expense is in its currency.
  const rupees = (minor: number) => money(minor, p.currency);
  const verb = {
    "expense.added": "added",
    "expense.updated": "updated",
    "expense.deleted": "deleted",
    "expense.restored": "restored",
  }[kind];
  // Until accounts record who acted, the mail names the payer instead of an actor.
  const who = p.actorName ?? `An expense paid by ${p.payerName} was`;
  const inGroup = p.groupName ? ` in ${p.groupName}` : "";
  // Older messages carry neither; both go in the body only, never in the subject.
  const category = toOneLine(p.category ?? "");
  const notes = noteLines(p.notes);
  // Subjects are one line whatever older rows hold.
  const subject = toOneLine(
    p.actorName
      ? `${p.actorName} ${verb} "${p.description}" (${rupees(p.amount)})${inGroup}`
      : `Expense ${verb}${inGroup}: "${p.description}" (${rupees(p.amount)}, paid by ${p.payerName})`,
  );
  const lines = [
    `Hi ${recipientName},`,
    "",
    `${p.actorName ? `${who} ${verb} an expense` : `${who} ${verb}`}${kind === "expense.deleted" ? "; it no longer counts towards your balances" : kind === "expense.restored" ? "; it counts towards your balances again" : ""}.`,
    "",
    `  ${p.description} — ${rupees(p.amount)} on ${p.date}`,
    ...(p.groupName ? [`  Group: ${p.groupName}`] : []),
    ...(category ? [`  Category: ${category}`] : []),
    `  Paid by: ${p.payers && p.payers.length > 1 ? p.payers.map((x) => `${x.name} ${rupees(x.amount)}`).join(", ") : p.payerName}`,
    `  Your share: ${rupees(p.yourShare)}${kind === "expense.deleted" ? " (removed)" : ""}`,
    `  Split among ${p.participantCount} ${p.participantCount === 1 ? "person" : "people"}`,
    ...(notes.length > 0 ? ["  Notes:", ...indentLines(notes, "    ")] : []),
    "",
    ...debtLine(p, kind),
    ...balanceText,
    "",
    `See the expense: ${links.expense}`,
    "",
    `Don't want these mails? ${links.unsubscribe}`,
  ];
  const text = lines.join("\n");
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Hi ${escapeHtml(recipientName)},</p>
<p>${escapeHtml(p.actorName ? `${who} ${verb} an expense` : `${who} ${verb}`)}${kind === "expense.deleted" ? "; it no longer counts towards your balances" : kind === "expense.restored" ? "; it counts towards your balances again" : ""}.</p>
<table cellpadding="4">
<tr><th align="left">Description</th><td>${escapeHtml(p.description)}</td></tr>
<tr><th align="left">Amount</th><td>${escapeHtml(rupees(p.amount))} on ${escapeHtml(p.date)}</td></tr>
${p.groupName ? `<tr><th align="left">Group</th><td>${escapeHtml(p.groupName)}</td></tr>\n` : ""}
${category ? `<tr><th align="left">Category</th><td>${escapeHtml(category)}</td></tr>\n` : ""}
<tr><th align="left">Paid by</th><td>${escapeHtml(p.payerName)}</td></tr>
<tr><th align="left">Your share</th><td>${escapeHtml(rupees(p.yourShare))}</td></tr>
${notes.length > 0 ? `<tr><th align="left" valign="top">Notes</th><td>${linesHtml(notes)}</td></tr>\n` : ""}
</table>
${debtLine(p, kind)
  .filter((l) => l !== "")
  .map((line) => `<p>${escapeHtml(line)}</p>`)
  .join("\n")}
${balanceText.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n")}
<p><a href="${escapeHtml(links.expense)}">See the expense</a></p>
<p style="color:#555;font-size:small"><a href="${escapeHtml(links.unsubscribe)}">Unsubscribe from expense mails</a></p>
</body></html>`;
  return { subject, text, html };
}

/** "you are owed ₹100.00", "you owe $5.00". */
const owedOrOwe = (n: { amount: number; currency?: string | undefined }) =>
  n.amount >= 0
    ? `you are owed ${money(n.amount, n.currency)}`
    : `you owe ${money(-n.amount, n.currency)}`;

function weeklyMail(
  p: WeeklyPayload,
  recipientName: string,
  links: { home: string; unsubscribe: string },
): RenderedMail {
  // Each amount in its currency (rows from before currencies carry none: INR).
  const line = (b: { name: string; amount: number; currency?: string | undefined }) =>
    b.amount > 0
      ? `${b.name} owes you ${money(b.amount, b.currency)}`
      : `You owe ${b.name} ${money(-b.amount, b.currency)}`;
  // Each group's balances, then those outside groups; older messages have one list.
  const sections: { title: string; rows: string[] }[] = p.groups?.length
    ? [
        ...p.groups.map((g) => ({ title: `In ${g.name}:`, rows: g.balances.map(line) })),
        ...(p.nonGroup?.length ? [{ title: "Outside groups:", rows: p.nonGroup.map(line) }] : []),
      ]
    : [{ title: "Your outstanding balances:", rows: p.balances.map(line) }];
  // The net per currency (never added across currencies); older messages have one INR net.
  const nets = p.nets ?? (p.net === 0 ? [] : [{ amount: p.net, currency: "INR" }]);
  const netLine =
    nets.length === 0
      ? "In total you are square."
      : nets.length === 1 && nets[0]
        ? `In total ${owedOrOwe(nets[0])}.`
        : `In total: ${nets.map(owedOrOwe).join("; ")}.`;
  const subject =
    nets.length <= 1
      ? `Your Evenly summary for ${p.week}: ${owedOrOwe(nets[0] ?? { amount: 0, currency: p.currency })}`
      : `Your Evenly summary for ${p.week}: ${nets.map(owedOrOwe).join("; ")}`;
  const text = [
    `Hi ${recipientName},`,
    "",
    ...sections.flatMap((sec) => [sec.title, ...sec.rows.map((r) => `  - ${r}`), ""]),
    netLine,
    "",
    `Settle up: ${links.home}`,
    "",
    `Don't want the weekly summary? ${links.unsubscribe}`,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Hi ${escapeHtml(recipientName)},</p>
${sections.map((sec) => `<p>${escapeHtml(sec.title)}</p>\n<ul>${sec.rows.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul>`).join("\n")}
<p><strong>${escapeHtml(netLine)}</strong></p>
<p><a href="${escapeHtml(links.home)}">Settle up</a></p>
<p style="color:#555;font-size:small"><a href="${escapeHtml(links.unsubscribe)}">Unsubscribe from the weekly summary</a></p>
</body></html>`;
  return { subject, text, html };
}

/** How much of a user-chosen name an invitation shows. */
export const INVITATION_NAME_MAX = 40;

/** Essential mail (no unsubscribe): the one-time link to claim an invited account. */
export function invitationMail(
  p: InvitationPayload,
  recipientName: string,
  claimUrl: string,
  ttlHours: number,
): RenderedMail {
  // Sent to any address someone types, with both names chosen by the inviter: they appear only
  // short and on one line (names stored before the single-line rule may hold line breaks).
  const who = toOneLine(p.inviterName ?? "", INVITATION_NAME_MAX) || "Someone";
  const invitee = toOneLine(recipientName, INVITATION_NAME_MAX);
  const subject = `${who} added you to Evenly`;
  const text = [
    `Hi ${invitee},`,
    "",
    `${who} added you to Evenly to share expenses. Your balances are waiting for you.`,
    "",
    `Set a password to claim your account (the link works once, for ${ttlHours} hours):`,
    claimUrl,
    "",
    "If you did not expect this mail, you can ignore it.",
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Hi ${escapeHtml(invitee)},</p>
<p>${escapeHtml(who)} added you to Evenly to share expenses. Your balances are waiting for you.</p>
<p><a href="${escapeHtml(claimUrl)}">Set a password to claim your account</a> (the link works once, for ${ttlHours} hours).</p>
<p style="color:#555;font-size:small">If you did not expect this mail, you can ignore it.</p>
</body></html>`;
  return { subject, text, html };
}

/** The "forgot password" mail: the link sets a new password and works once. */
export function passwordResetMail(
  recipientName: string,
  resetUrl: string,
  ttlMinutes: number,
): RenderedMail {
  const name = toOneLine(recipientName, INVITATION_NAME_MAX);
  const subject = "Reset your Evenly password";
  const text = [
    `Hi ${name},`,
    "",
    `Someone (hopefully you) asked to reset your Evenly password. Set a new one here (the link works once, for ${ttlMinutes} minutes):`,
    resetUrl,
    "",
    "Setting it logs you out everywhere. If you did not ask for this, ignore this mail: your password stays as it is.",
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Hi ${escapeHtml(name)},</p>
<p>Someone (hopefully you) asked to reset your Evenly password.</p>
<p><a href="${escapeHtml(resetUrl)}">Set a new password</a> (the link works once, for ${ttlMinutes} minutes; setting it logs you out everywhere).</p>
<p style="color:#555;font-size:small">If you did not ask for this, ignore this mail: your password stays as it is.</p>
</body></html>`;
  return { subject, text, html };
}

/** The mails a user may turn off (expenses, weekly summaries); account mails are separate. */
export type OptionalMessage = Exclude<
  NotificationMessage,
  { kind: "account.invitation" | "account.password_reset" }
>;

export function renderMessage(
  msg: OptionalMessage,
  recipientName: string,
  links: { publicUrl: string; unsubscribe: string },
  balances?: BalanceWith[],
): RenderedMail {
  if (msg.kind === "weekly.summary") {
    return weeklyMail(msg.payload, recipientName, {
      home: `${links.publicUrl}/`,
      unsubscribe: links.unsubscribe,
    });
  }
  if (msg.kind === "settlement.recorded") {
    return settlementMail(msg.payload, msg.recipientId, recipientName, {
      home: `${links.publicUrl}/app/settlements`,
      unsubscribe: links.unsubscribe,
    });
  }
  return expenseMail(
    msg.kind,
    msg.payload,
    recipientName,
    {
      expense: `${links.publicUrl}/app/expenses/${msg.payload.expenseId}`,
      unsubscribe: links.unsubscribe,
    },
    balances,
  );
}
