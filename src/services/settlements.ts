import type { Executor } from "../db/client.js";
import { applyDeltasAndRead } from "../db/repos/balances.js";
import { befriend } from "../db/repos/friendships.js";
import { isMember } from "../db/repos/groups.js";
import {
  findSettlement,
  insertSettlement,
  listSettlementsOfUser,
  type SettlementRow,
} from "../db/repos/settlements.js";
import { findUser, namesOf } from "../db/repos/users.js";
import { inTransaction, type TxHooks, withHooks } from "../db/transaction.js";
import { describeAmount, describeCurrency, parseAmount } from "../domain/currency.js";
import { inCurrency, settlementDeltas } from "../domain/debts.js";
import { type FieldIssue, NotFound, RuleViolation } from "../domain/errors.js";
import { describeSettlementNote, settlementNoteOf } from "../domain/settlement-note.js";
import { settlementMessage } from "../notifications/events.js";
import { assertSelf, assertSettlementParty, canSeeSettlement } from "./access.js";
import { logWithMessages, settlementEntry } from "./activity.js";
import { planOf } from "./balances.js";
import type { AppContext } from "./context.js";
import { applyToGroup, groupForMoney } from "./group-money.js";
import { lockActiveUsers } from "./involved-users.js";

export interface SettlementInput {
  from_user: number;
  to_user: number;
  amount: string | number;
  /** ISO 4217; default: the group's currency in a group, else APP_CURRENCY. */
  currency?: string | undefined;
  /** The group it settles within; absent (or null) between friends. */
  group_id?: number | null | undefined;
  /** Optional free text, line breaks kept (CR LF as LF); empty or null: none. */
  note?: string | null | undefined;
}

/**
 * The payment's amount in minor units of its currency (`defaultCurrency` unless the input names
 * one), at most that currency's digits and 10,000,000 of its major units, and its note as kept;
 * 422 listing every problem otherwise.
 */
function judgeSettlement(
  input: SettlementInput,
  defaultCurrency: string,
): { amount: number; currency: string; note: string | null } {
  const issues: FieldIssue[] = [];
  // The API's schema refuses a bad note first (400); the pages reach this with theirs.
  const note = settlementNoteOf(input.note);
  const currency = input.currency ?? defaultCurrency;
  const problem = describeCurrency(currency);
  if (problem !== null) issues.push({ field: "currency", message: problem });
  // An unknown currency is reported; the amount is then read as the default currency's.
  const unit = problem === null ? currency : defaultCurrency;
  const amount = parseAmount(input.amount, unit);
  if (!amount.ok) issues.push({ field: "amount", message: amount.message });
  else {
    const size = describeAmount(amount.value, unit);
    if (size !== null) issues.push({ field: "amount", message: size });
  }
  if (input.from_user === input.to_user)
    issues.push({ field: "to_user", message: "must differ from from_user" });
  issues.push(...describeSettlementNote(note));
  if (issues.length > 0 || !amount.ok)
    throw new RuleViolation("The settlement is not valid", issues);
  return { amount: amount.value, currency, note };
}

type Judged = ReturnType<typeof judgeSettlement>;

/**
 * What is judged before anything is read: who may record it outside a group (403), and its
 * amount, currency and note there (422); in a group the group's currency is the default, so
 * that waits for the group (`judgeParties`).
 */
function judgeUpFront(ctx: AppContext, input: SettlementInput, actor: number): Judged | undefined {
  if ((input.group_id ?? null) !== null) return undefined;
  assertSettlementParty(input.from_user, input.to_user, actor);
  return judgeSettlement(input, ctx.config.APP_CURRENCY);
}

/**
 * The people of a settlement, inside `tx`: in a group, that the actor and both are members
 * (404/422) and the money (judged once the group is locked); otherwise that both exist, are
 * active and known to the actor, or a stranger along the actor's plan (422, the same answer for
 * a stranger and an id that does not exist). Both are share-locked until `tx` ends.
 */
async function judgeParties(
  tx: Executor,
  input: SettlementInput,
  actor: number,
  outside: Judged | undefined,
): Promise<{ value: Judged; alongPlan: boolean }> {
  const groupId = input.group_id ?? null;
  const fields = new Map([
    [input.from_user, "from_user"],
    [input.to_user, "to_user"],
  ]);
  // In a group: any member may record it, between two members (who know each other).
  const value =
    groupId === null
      ? (outside as Judged)
      : (await groupForMoney(tx, groupId, actor, fields, (g) => judgeSettlement(input, g.currency)))
          .judged;
  // Someone the actor does not know may be paid (or pay) only along the actor's current plan
  // (?simplify=true, in the payment's currency); recording it makes the two known to each other.
  let alongPlan = false;
  const allowStranger = async () => {
    if (groupId !== null) return false;
    const plan = await planOf(tx, actor);
    alongPlan = plan.some(
      (t) => t.from === input.from_user && t.to === input.to_user && t.currency === value.currency,
    );
    return alongPlan;
  };
  await lockActiveUsers(tx, actor, fields, { allowStranger });
  return { value, alongPlan };
}

/**
 * recordSettlement's checks, writing nothing: the settle-up page asks them before its "more than
 * is owed, record anyway?" step, so a person it cannot be recorded with is refused first.
 */
export async function checkSettlement(
  ctx: AppContext,
  input: SettlementInput,
  actor: number,
): Promise<void> {
  const outside = judgeUpFront(ctx, input, actor);
  await inTransaction(
    ctx.db,
    (tx) => judgeParties(tx, input, actor, outside),
    ctx.config.TX_MAX_RETRIES,
  );
}

/** Records that from_user paid to_user; overpaying flips the pair's direction, as in Splitwise. */
export async function recordSettlement(
  ctx: AppContext,
  input: SettlementInput,
  actor: number,
  hooks?: TxHooks<SettlementRow>,
): Promise<SettlementRow> {
  const groupId = input.group_id ?? null;
  const outside = judgeUpFront(ctx, input, actor);
  const recorded = await inTransaction(
    ctx.db,
    (tx) =>
      withHooks(tx, hooks, async () => {
        const { value, alongPlan } = await judgeParties(tx, input, actor, outside);
        if (alongPlan) await befriend(tx, input.from_user, input.to_user);
        const row = await insertSettlement(tx, {
          fromUser: input.from_user,
          toUser: input.to_user,
          amount: value.amount,
          currency: value.currency,
          createdBy: actor,
          groupId,
          note: value.note,
        });
        const deltas = inCurrency(
          settlementDeltas(input.from_user, input.to_user, value.amount),
          row.currency,
        );
        // The other party hears of it (same transaction: no payment without its mail), with the
        // balance as it stands after it, read by the upsert itself.
        const other = input.from_user === actor ? input.to_user : input.from_user;
        const pairs = await applyDeltasAndRead(tx, deltas, { user: actor, others: [other] });
        await applyToGroup(tx, groupId, deltas);
        const names = await namesOf(tx, [input.from_user, input.to_user]);
        const entry = settlementEntry("settlement.created", actor, row);
        await logWithMessages(tx, entry, [settlementMessage(row, actor, names, pairs)]);
        return row;
      }),
    ctx.config.TX_MAX_RETRIES,
  );
  ctx.outboxWritten?.();
  return recorded;
}

export async function getSettlement(
  ctx: AppContext,
  id: number,
  actor: number,
): Promise<SettlementRow> {
  const row = await findSettlement(ctx.db, id);
  if (!row) throw new NotFound("settlement", id);
  const member =
    row.groupId !== null &&
    row.fromUser !== actor &&
    row.toUser !== actor &&
    (await isMember(ctx.db, row.groupId, actor));
  if (!canSeeSettlement(row, actor, member)) throw new NotFound("settlement", id);
  return row;
}

export async function listUserSettlements(
  ctx: AppContext,
  userId: number,
  opts: { limit: number; beforeId?: number | undefined; withUser?: number | undefined },
  actor: number,
): Promise<SettlementRow[]> {
  assertSelf(actor, userId);
  if (!(await findUser(ctx.db, userId))) throw new NotFound("user", userId);
  return listSettlementsOfUser(ctx.db, userId, opts);
}
