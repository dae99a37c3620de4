import { createHash } from "node:crypto";
import type { Database } from "../db/client.js";
import { insertAccountLink, type LinkPurpose } from "../db/repos/account-links.js";
import { pairsWith } from "../db/repos/balances.js";
import { claimDelivery, deliveryStatus, finishDelivery } from "../db/repos/deliveries.js";
import { knownNamesAmong } from "../db/repos/knows.js";
import { findUser, namesOf, type UserRow } from "../db/repos/users.js";
import { retryWhileUnavailable } from "../db/retry.js";
import { hashSecretToken, newSecretToken } from "../lib/secret-token.js";
import type { Mailer } from "./mailer.js";
import type { NotificationMessage } from "./message.js";
import {
  type BalanceWith,
  invitationMail,
  type OptionalMessage,
  passwordResetMail,
  type RenderedMail,
  renderMessage,
} from "./render.js";
import { peopleNamedIn, withoutStrangers } from "./strangers.js";
import { type MailTopic, unsubscribeToken } from "./tokens.js";

export interface HandlerDeps {
  db: Database;
  mailer: Mailer;
  secret: string;
  publicUrl: string;
  mailFrom: string;
  leaseSeconds: number;
  /** Lifetime of the claim link minted for an invitation mail. */
  inviteTtlHours: number;
  /** Lifetime of the reset link minted for a "forgot password" mail. */
  resetTtlMinutes: number;
}

export type HandleResult = "sent" | "duplicate" | "suppressed";

/** Another worker holds a fresh claim on this mail: retry later (the queue backs off). */
export class DeliveryInProgress extends Error {}

/** `<hash-of-dedupe-key@sender-domain>`: the same notification always has the same Message-ID. */
export function messageIdFor(dedupeKey: string, mailFrom: string): string {
  const domain = /@([^>\s]+)/.exec(mailFrom)?.[1] ?? "evenly.local";
  return `<${createHash("sha256").update(dedupeKey).digest("hex").slice(0, 40)}@${domain}>`;
}

const topicOf = (kind: OptionalMessage["kind"]): MailTopic =>
  kind === "weekly.summary" ? "weekly" : "expenses";

/** Mints a one-time link at send time, so no usable token rests in the outbox or queue. */
async function accountLinkUrl(
  deps: HandlerDeps,
  userId: number,
  purpose: LinkPurpose,
  ttlMs: number,
): Promise<string> {
  const token = newSecretToken(purpose);
  await insertAccountLink(deps.db, {
    userId,
    purpose,
    tokenHash: hashSecretToken(token),
    expiresAt: new Date(Date.now() + ttlMs),
  });
  const page = purpose === "claim" ? "/claim" : "/password-reset/confirm";
  return `${deps.publicUrl}${page}?token=${token}`;
}

type ExpenseMessage = Extract<NotificationMessage, { kind: `expense.${string}` }>;

/**
 * The recipient's balance with everyone else an expense involves, as it stands now (the payer
 * first), in every currency they have one in (square: one line): what each expense mail ends
 * with, the payer's own mail included. Undefined for a message that does not list the people
 * involved (written before they were).
 */
async function balancesWithInvolved(
  db: Database,
  msg: ExpenseMessage,
  recipientId: number,
  known: ReadonlySet<number>,
): Promise<BalanceWith[] | undefined> {
  const { involvedIds, payerId } = msg.payload;
  if (!involvedIds) return undefined;
  // Someone the recipient does not know shares nothing with them: no balance, no line.
  const others = [...new Set([payerId, ...involvedIds])].filter(
    (id) => id !== recipientId && known.has(id),
  );
  const [pairs, names] = await Promise.all([
    pairsWith(db, recipientId, others),
    namesOf(db, others),
  ]);
  return others.flatMap((other) => {
    const name = names.get(other) ?? `user ${other}`;
    const [a, b] = recipientId < other ? [recipientId, other] : [other, recipientId];
    const rows = pairs
      .filter((p) => p.userA === a && p.userB === b && p.aOwesB !== 0)
      .sort((x, y) => (x.currency < y.currency ? -1 : 1));
    if (rows.length === 0) return [{ name, owes: 0 }];
    return rows.map((row) => ({
      name,
      owes: recipientId === a ? row.aOwesB : -row.aOwesB,
      currency: row.currency,
    }));
  });
}

/**
 * An expense message as its recipient may read it: people they do not know unnamed, and their
 * balances with each of the others involved.
 */
async function asKnownTo(
  db: Database,
  msg: ExpenseMessage,
  recipientId: number,
): Promise<[ExpenseMessage, BalanceWith[] | undefined]> {
  const p = msg.payload;
  const named = [...peopleNamedIn(p), ...(p.involvedIds ?? [])];
  const known = new Set((await knownNamesAmong(db, recipientId, named)).keys());
  return [
    { ...msg, payload: withoutStrangers(p, known) },
    await balancesWithInvolved(db, msg, recipientId, known),
  ];
}

/** What to send, or null when the recipient does not (or no longer) want or need it. */
async function compose(
  msg: NotificationMessage,
  recipient: UserRow | undefined,
  deps: HandlerDeps,
): Promise<{ mail: RenderedMail; headers: Record<string, string> } | null> {
  if (!recipient || recipient.deactivatedAt) return null;
  if (msg.kind === "account.invitation") {
    if (recipient.passwordHash !== null) return null; // claimed meanwhile
    const url = await accountLinkUrl(deps, recipient.id, "claim", deps.inviteTtlHours * 3_600_000);
    return {
      mail: invitationMail(msg.payload, recipient.name, url, deps.inviteTtlHours),
      headers: {},
    };
  }
  if (msg.kind === "account.password_reset") {
    if (recipient.passwordHash === null) return null; // not claimed: the claim link is the way in
    const url = await accountLinkUrl(deps, recipient.id, "reset", deps.resetTtlMinutes * 60_000);
    return { mail: passwordResetMail(recipient.name, url, deps.resetTtlMinutes), headers: {} };
  }
  const topic = topicOf(msg.kind);
  const wanted = topic === "weekly" ? recipient.notifyWeekly : recipient.notifyExpenses;
  if (!wanted) return null;
  const unsubscribe = `${deps.publicUrl}/unsubscribe?token=${unsubscribeToken(deps.secret, recipient.id, topic)}`;
  const [shown, balances] =
    msg.kind === "weekly.summary" || msg.kind === "settlement.recorded"
      ? [msg, undefined]
      : await asKnownTo(deps.db, msg, recipient.id);
  return {
    mail: renderMessage(
      shown,
      recipient.name,
      { publicUrl: deps.publicUrl, unsubscribe },
      balances,
    ),
    headers: {
      // RFC 8058 one-click unsubscribe: mail clients POST to the URL.
      "List-Unsubscribe": `<${unsubscribe}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

/**
 * Delivers one notification at most once in normal operation: the dedupe key is claimed before
 * sending and marked sent after. A redelivered message finds it sent and stops; a crash between
 * the mail server's acceptance and the mark leaves an expired claim, which a redelivery takes
 * over — that may duplicate one mail (same Message-ID), never lose one.
 */
export async function handleNotification(
  msg: NotificationMessage,
  deps: HandlerDeps,
): Promise<HandleResult> {
  const { db } = deps;
  if (!(await claimDelivery(db, msg.dedupeKey, deps.leaseSeconds))) {
    const status = await deliveryStatus(db, msg.dedupeKey);
    if (status === "sending") throw new DeliveryInProgress(`${msg.dedupeKey} is being sent`);
    return "duplicate";
  }

  const finish = (status: "sent" | "suppressed" | "released", messageId: string | null) =>
    finishDelivery(db, msg.dedupeKey, status, messageId);

  const recipient = await findUser(db, msg.recipientId);
  let composed: Awaited<ReturnType<typeof compose>>;
  try {
    composed = await compose(msg, recipient, deps);
  } catch (err) {
    await finish("released", null);
    throw err;
  }
  if (!composed || !recipient) {
    await finish("suppressed", null);
    return "suppressed";
  }
  const messageId = messageIdFor(msg.dedupeKey, deps.mailFrom);
  try {
    await deps.mailer.send({
      to: recipient.email,
      ...composed.mail,
      messageId,
      headers: { ...composed.headers, "X-Evenly-Dedupe-Key": msg.dedupeKey },
    });
  } catch (err) {
    // Not sent: release the claim so the queue's retry can send it.
    await finish("released", null);
    throw err;
  }
  // The mail is out: record it even across a short database outage (within the lease), or a
  // redelivery would send it again.
  await retryWhileUnavailable(() => finish("sent", messageId), deps.leaseSeconds * 1000);
  return "sent";
}
