import type { ExpenseRecord } from "../db/repos/expenses.js";
import type { SettlementRow } from "../db/repos/settlements.js";
import type { LedgerDelta } from "../domain/debts.js";
import { expenseDebts } from "../domain/expense.js";
import { counterpartiesOfEach, paidBy } from "../domain/payers.js";
import { dedupeKey, MESSAGE_VERSION, type NotificationMessage } from "./message.js";

export type ExpenseEvent =
  | "expense.added"
  | "expense.updated"
  | "expense.deleted"
  | "expense.restored";

/**
 * What `userId` owes `other` in `currency` according to the pair rows (negative: `other` owes
 * them).
 */
function owedTo(userId: number, other: number, pairs: LedgerDelta[], currency: string): number {
  const [a, b] = userId < other ? [userId, other] : [other, userId];
  const row = pairs.find((p) => p.userA === a && p.userB === b && p.currency === currency);
  if (!row) return 0;
  return userId === a ? row.aOwesB : -row.aOwesB;
}

/**
 * `owedTo(·, payer, ·, currency)` for many recipients: one pass over the rows instead of one per
 * recipient.
 */
function owedToPayer(payer: number, pairs: LedgerDelta[], currency: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of pairs) {
    if (p.currency !== currency) continue;
    if (p.userA === payer) out.set(p.userB, -p.aOwesB);
    else if (p.userB === payer) out.set(p.userA, p.aOwesB);
  }
  return out;
}

/**
 * An expense mail ends with the recipient's balance with each person involved, up to this many
 * people; a bigger expense lists only the payers. A 1000-person bill would otherwise carry 1000
 * ids in each of its 1000 messages (a million ids per request) and 999 lines in every mail.
 */
export const MAX_BALANCE_LINES = 20;

/** "Asha", "Asha and Bela", "Asha, Bela and Chen". */
export function joinNames(names: string[]): string {
  return names.length <= 1
    ? (names[0] ?? "")
    : `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}`;
}

/** Everyone an expense touches: its participants and payers, in first-seen order. */
export function expenseRecipients(...records: ExpenseRecord[]): number[] {
  const ids = new Set<number>();
  for (const r of records) {
    for (const s of r.shares) ids.add(s.userId);
    for (const p of r.payers) ids.add(p.userId);
  }
  return [...ids];
}

/**
 * One message per recipient for an expense change. `expense` is the state the mail describes
 * (the new one for added/updated, the removed one for deleted); `pairsWithPayer` are the balances
 * between the one payer and the recipients after the change, read in the same transaction (empty
 * when several paid); the mail carries the one in the expense's currency. Each recipient also
 * gets their side of this expense's pairwise debts.
 */
export function expenseMessages(
  event: ExpenseEvent,
  expense: ExpenseRecord,
  recipients: number[],
  names: Map<number, string>,
  pairsWithPayer: LedgerDelta[],
  actor: number | null,
  groupName: string | null = null,
): NotificationMessage[] {
  const single = paidBy(expense.payers);
  const payerIds = expense.payers.map((p) => p.userId);
  const payerId = single ?? Math.min(...payerIds);
  const name = (id: number) => names.get(id) ?? `user ${id}`;
  const debts = expenseDebts(expense);
  const eventId =
    event === "expense.deleted"
      ? `expense:${expense.id}:deleted`
      : `expense:${expense.id}:v${expense.version}`;
  const shareOf = new Map(expense.shares.map((s) => [s.userId, s.amount]));
  const everyone = expenseRecipients(expense);
  const involvedIds = everyone.length <= MAX_BALANCE_LINES + 1 ? everyone : payerIds;
  const withPayer = single === null ? null : owedToPayer(single, pairsWithPayer, expense.currency);
  // Mails name each side of the pairwise debts only when several paid (render.ts debtLine).
  const debtsOf = expense.payers.length > 1 ? counterpartiesOfEach(debts) : null;
  const payers = expense.payers.map((p) => ({ ...p, name: name(p.userId) }));
  const payerName = joinNames(payerIds.map(name));
  return recipients.map((recipientId) => ({
    v: MESSAGE_VERSION,
    kind: event,
    dedupeKey: dedupeKey(eventId, recipientId),
    recipientId,
    payload: {
      expenseId: expense.id,
      version: expense.version,
      description: expense.description,
      amount: expense.amount,
      currency: expense.currency,
      date: expense.date,
      payerId,
      payerName,
      payers,
      yourDebts: (debtsOf?.get(recipientId) ?? []).map((c) => ({ ...c, name: name(c.userId) })),
      actorName: actor === null ? null : (names.get(actor) ?? null),
      actorId: actor,
      yourShare: shareOf.get(recipientId) ?? 0,
      balanceWithPayer:
        withPayer === null || recipientId === single ? null : (withPayer.get(recipientId) ?? 0),
      participantCount: expense.shares.length,
      involvedIds,
      groupName,
      category: expense.category ?? null,
      notes: expense.notes ?? null,
    },
  }));
}

/**
 * The mail to the other party of a recorded payment (the one who did not record it), with their
 * balance with the recorder after it in the payment's currency, read in the same transaction.
 */
export function settlementMessage(
  row: SettlementRow,
  actor: number,
  names: Map<number, string>,
  pairsWithActor: LedgerDelta[],
): NotificationMessage {
  const recipientId = row.fromUser === actor ? row.toUser : row.fromUser;
  const name = (id: number) => names.get(id) ?? `user ${id}`;
  return {
    v: MESSAGE_VERSION,
    kind: "settlement.recorded",
    dedupeKey: dedupeKey(`settlement:${row.id}`, recipientId),
    recipientId,
    payload: {
      settlementId: row.id,
      fromId: row.fromUser,
      fromName: name(row.fromUser),
      toId: row.toUser,
      toName: name(row.toUser),
      amount: row.amount,
      currency: row.currency,
      actorName: name(actor),
      balanceWithActor: owedTo(recipientId, actor, pairsWithActor, row.currency),
      note: row.note,
    },
  };
}
