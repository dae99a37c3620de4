import { z } from "zod";

/**
 * The versioned notification message: what the outbox stores, what the queue carries (pg-boss
 * locally, SQS on AWS) and what the one handler consumes. Amounts are integer paise.
 */
export const MESSAGE_VERSION = 1;

const ExpensePayload = z.object({
  expenseId: z.number().int(),
  version: z.number().int(),
  description: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  date: z.string(),
  /** The payer (with several: the first by user id; every one is in `payers`). */
  payerId: z.number().int(),
  /** "Asha", or "Asha and Bela" when several paid. */
  payerName: z.string(),
  /** Every payer with what they paid (absent in older messages: the one payer paid it all). */
  payers: z
    .array(z.object({ userId: z.number().int(), name: z.string(), amount: z.number().int() }))
    .optional(),
  /**
   * The recipient's side of this expense's pairwise debts (`owes` > 0: the recipient owes them;
   * < 0: they owe the recipient): "you owe Asha ₹15.00 and Bela ₹10.00". Absent in older messages.
   */
  yourDebts: z
    .array(z.object({ userId: z.number().int(), name: z.string(), owes: z.number().int() }))
    .optional(),
  actorName: z.string().nullable(),
  /** Who made the change (absent in older messages), so a mail names them only to who knows them. */
  actorId: z.number().int().nullable().optional(),
  /** The recipient's share of the expense (0 when they only paid). */
  yourShare: z.number().int(),
  /**
   * What the recipient owes the payer after the change (negative: the payer owes them); null for
   * the payer and when several paid (the balances with everyone end the mail instead).
   */
  balanceWithPayer: z.number().int().nullable(),
  participantCount: z.number().int(),
  /**
   * Everyone the expense involves (payer and participants). The mail ends with the recipient's
   * balance with each of them, read when it is sent. Absent in older messages: then the one
   * balance with the payer above is shown.
   */
  involvedIds: z.array(z.number().int()).optional(),
  /** The expense's group, named in the mail; null (or absent, in older messages) outside one. */
  groupName: z.string().nullable().optional(),
  /**
   * The expense's category (one line) and notes (line feeds kept), shown in the mail body, never
   * in a header; null (or absent, in older messages) when it has none.
   */
  category: z.string().nullable().optional(),
  notes: z.string().nullable().optional(),
});

/** A balance with one person in one currency (absent in older messages: INR). */
const Balance = z.object({
  userId: z.number().int(),
  name: z.string(),
  amount: z.number().int(),
  currency: z.string().optional(),
});

/** A net in one currency. */
const Net = z.object({ currency: z.string(), amount: z.number().int() });

const WeeklyPayload = z.object({
  /** ISO week, e.g. 2026-W48. */
  week: z.string(),
  /**
   * Per counterparty and currency: positive = they owe the recipient, negative = the recipient
   * owes them.
   */
  balances: z.array(Balance),
  /** The net in `currency` (APP_CURRENCY; older messages: INR, the only one then). */
  net: z.number().int(),
  currency: z.string().optional(),
  /** The net in every currency where it is not zero (absent in older messages). */
  nets: z.array(Net).optional(),
  /** The same split by group (absent in older messages): each group's own balances… */
  groups: z
    .array(
      z.object({
        groupId: z.number().int(),
        name: z.string(),
        balances: z.array(Balance),
        /** The net in `currency` above; `nets` has every currency. */
        net: z.number().int(),
        nets: z.array(Net).optional(),
      }),
    )
    .optional(),
  /** …and what is left between friends, outside any group. */
  nonGroup: z.array(Balance).optional(),
});

const InvitationPayload = z.object({ inviterName: z.string().nullable() });

/** A payment recorded between two people, told to the one who did not record it. */
const SettlementPayload = z.object({
  settlementId: z.number().int(),
  fromId: z.number().int(),
  fromName: z.string(),
  toId: z.number().int(),
  toName: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  /** Who recorded it (the other party of the recipient). */
  actorName: z.string(),
  /** What the recipient owes the recorder after the payment (negative: the recorder owes them). */
  balanceWithActor: z.number().int(),
  /** The payment's note (line feeds kept), in the body only; null (or absent, in older messages). */
  note: z.string().nullable().optional(),
});

const base = {
  v: z.literal(MESSAGE_VERSION),
  dedupeKey: z.string().min(1),
  recipientId: z.number().int(),
};

export const NotificationMessage = z.discriminatedUnion("kind", [
  z.object({ ...base, kind: z.literal("expense.added"), payload: ExpensePayload }),
  z.object({ ...base, kind: z.literal("expense.updated"), payload: ExpensePayload }),
  z.object({ ...base, kind: z.literal("expense.deleted"), payload: ExpensePayload }),
  z.object({ ...base, kind: z.literal("expense.restored"), payload: ExpensePayload }),
  z.object({ ...base, kind: z.literal("settlement.recorded"), payload: SettlementPayload }),
  z.object({ ...base, kind: z.literal("weekly.summary"), payload: WeeklyPayload }),
  z.object({ ...base, kind: z.literal("account.invitation"), payload: InvitationPayload }),
  z.object({ ...base, kind: z.literal("account.password_reset"), payload: z.object({}) }),
]);

export type NotificationMessage = z.infer<typeof NotificationMessage>;
export type ExpensePayload = z.infer<typeof ExpensePayload>;
export type WeeklyPayload = z.infer<typeof WeeklyPayload>;
export type InvitationPayload = z.infer<typeof InvitationPayload>;
export type SettlementPayload = z.infer<typeof SettlementPayload>;

/** Parses a queue body; throws on an unknown version or shape (the message goes to the DLQ). */
export function parseMessage(body: unknown): NotificationMessage {
  return NotificationMessage.parse(typeof body === "string" ? JSON.parse(body) : body);
}

export const dedupeKey = (eventId: string, recipientId: number) => `${eventId}:to:${recipientId}`;
