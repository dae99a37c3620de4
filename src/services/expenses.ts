import type { Tx } from "../db/client.js";
import { applyDeltasAndRead } from "../db/repos/balances.js";
import {
  type ExpenseContent,
  type ExpenseRecord,
  findExpense,
  insertExpense,
  markExpenseDeleted,
  replaceExpense,
} from "../db/repos/expenses.js";
import { namesOf } from "../db/repos/users.js";
import { inTransaction, type TxHooks, withHooks } from "../db/transaction.js";
import { todayIn } from "../domain/dates.js";
import {
  expenseDeltas,
  inCurrency,
  type LedgerDelta,
  mergeLedgerDeltas,
  negateDeltas,
} from "../domain/debts.js";
import { NotFound, PreconditionFailed } from "../domain/errors.js";
import { paidBy } from "../domain/payers.js";
import { type ExpenseEvent, expenseMessages, expenseRecipients } from "../notifications/events.js";
import { assertActorInvolved, assertCanChangeExpense } from "./access.js";
import { expenseEntry, logWithMessages } from "./activity.js";
import type { AppContext } from "./context.js";
import {
  appDefaults,
  type ExpenseInput,
  groupDefaults,
  involvedFields,
  toExpenseContent,
} from "./expense-input.js";
import {
  applyToGroup,
  assertAllMembers,
  assertNotArchived,
  groupForMoney,
  type LockedGroup,
  lockGroupForMoney,
} from "./group-money.js";
import { assertNoneDeactivated, lockActiveUsers } from "./involved-users.js";

// The input's validation is in ./expense-input.ts; callers keep importing it from here.
export { type Decimal, type ExpenseInput, toExpenseContent } from "./expense-input.js";

/**
 * Moves the pairwise balances and, with one payer, reads back each recipient's balance with them
 * as it stands after the change, in the same statement: the mail quotes it. With several payers
 * the mail lists the recipient's debts of this expense (and the balances with everyone, read
 * when it is sent), so nothing is read.
 */
function moveBalances(tx: Tx, deltas: LedgerDelta[], expense: ExpenseRecord, recipients: number[]) {
  const payerId = paidBy(expense.payers);
  const read =
    payerId === null ? null : { user: payerId, others: recipients.filter((r) => r !== payerId) };
  return applyDeltasAndRead(tx, deltas, read);
}

/** The change's activity entry and one outbox message per recipient: one statement. */
async function logAndNotify(
  tx: Tx,
  entry: ReturnType<typeof expenseEntry>,
  event: ExpenseEvent,
  expense: ExpenseRecord,
  recipients: number[],
  pairs: LedgerDelta[],
  people: { names: Map<number, string>; actor: number; groupName: string | null },
): Promise<void> {
  const messages = expenseMessages(
    event,
    expense,
    recipients,
    people.names,
    pairs,
    people.actor,
    people.groupName,
  );
  await logWithMessages(tx, entry, messages);
}

/**
 * Outside a group the input is judged before anything is read; in a group only once the group is
 * locked (its currency is the default and what a rate books in: no extra statement).
 */
function judgeOutsideGroup(ctx: AppContext, input: ExpenseInput) {
  const today = todayIn(ctx.config.APP_TIMEZONE);
  const outside =
    (input.group_id ?? null) === null
      ? toExpenseContent(input, today, appDefaults(ctx.config.APP_CURRENCY))
      : undefined;
  return { today, outside };
}

export async function createExpense(
  ctx: AppContext,
  input: ExpenseInput,
  actor: number,
  hooks?: TxHooks<ExpenseRecord>,
): Promise<ExpenseRecord> {
  const groupId = input.group_id ?? null;
  const { today, outside } = judgeOutsideGroup(ctx, input);
  if (outside) assertActorInvolved(outside, actor);
  const record = await inTransaction(
    ctx.db,
    (tx) =>
      withHooks(tx, hooks, async () => {
        const fields = involvedFields(input);
        const inGroup =
          groupId === null
            ? undefined
            : await groupForMoney(tx, groupId, actor, fields, (g) =>
                toExpenseContent(input, today, groupDefaults(g)),
              );
        const content = inGroup?.judged ?? (outside as ExpenseContent);
        const names = await lockActiveUsers(tx, actor, withActor(fields, actor));
        const record = await insertExpense(tx, content, actor);
        const deltas = ledgerDeltasOf(content, 1);
        const recipients = expenseRecipients(record);
        const pairs = await moveBalances(tx, deltas, record, recipients);
        await applyToGroup(tx, content.groupId, deltas);
        const entry = expenseEntry("expense.created", actor, record);
        const groupName = inGroup?.group.name ?? null;
        const people = { names, actor, groupName };
        await logAndNotify(tx, entry, "expense.added", record, recipients, pairs, people);
        return record;
      }),
    ctx.config.TX_MAX_RETRIES,
  );
  ctx.outboxWritten?.();
  return record;
}

/**
 * A conditional edit or delete: `ifMatch` receives the expense's current version (read under the
 * row lock) and says whether the caller's copy is current; if not, nothing changes (412).
 */
export interface WriteCondition {
  ifMatch?: ((currentVersion: number) => boolean) | undefined;
}

function checkVersion(old: ExpenseRecord, cond: WriteCondition): void {
  if (cond.ifMatch && !cond.ifMatch(old.version)) {
    throw new PreconditionFailed(
      `Expense ${old.id} was changed by someone else (it is now at version ${old.version}); reload it and try again`,
    );
  }
}

interface Locked {
  old: ExpenseRecord;
  /** The old expense's group (share-locked), with its members among the ids asked about. */
  oldGroup: LockedGroup | undefined;
}

/**
 * Locks the expense (and its group, if any) for an edit or delete and checks, in this order, that
 * the actor may see it (404), may change it (403) and holds its current version (412): a
 * stranger learns nothing. Then the state: the group is not archived, and everyone the old
 * expense involves is still a member (reversing it must not give a former member a balance in
 * the group they left) and still active (nor a deactivated user one anywhere): 422. `alsoAsk` adds ids whose membership the caller needs (an edit that
 * stays in the group), read in the same statement.
 */
async function lockForChange(
  tx: Tx,
  id: number,
  actor: number,
  cond: WriteCondition,
  alsoAsk: Map<number, string> = new Map(),
): Promise<Locked> {
  const old = await findExpense(tx, id, { lock: true });
  if (!old) throw new NotFound("expense", id);
  const oldFields = new Map(expenseRecipients(old).map((u) => [u, "expense"]));
  const oldGroup =
    old.groupId === null
      ? undefined
      : await lockGroupForMoney(tx, old.groupId, actor, new Map([...oldFields, ...alsoAsk]));
  assertCanChangeExpense(old, actor, oldGroup?.members.includes(actor) ?? false);
  checkVersion(old, cond);
  if (oldGroup) {
    assertNotArchived(oldGroup, "expense");
    assertAllMembers(oldGroup, oldFields);
  }
  await assertNoneDeactivated(tx, actor, oldFields);
  return { old, oldGroup };
}

/** An expense's effect on balances in its currency (`sign` −1: reversed). */
function ledgerDeltasOf(e: ExpenseContent, sign: 1 | -1): LedgerDelta[] {
  const deltas = inCurrency(expenseDeltas(e.payers, e.shares), e.currency);
  return sign === 1 ? deltas : negateDeltas(deltas);
}

/** The fields map plus the actor (so their name is at hand for the mail). */
function withActor(fields: Map<number, string>, actor: number): Map<number, string> {
  return fields.has(actor) ? fields : new Map([...fields, [actor, "actor"]]);
}

/**
 * Full replacement: balances move as if the old expense never existed and the new one was added.
 * Outside a group the input is judged first; in a group once the group is locked (after the
 * expense's own 404/403/412), as a new group expense is.
 */
export async function replaceExpenseById(
  ctx: AppContext,
  id: number,
  input: ExpenseInput,
  actor: number,
  cond: WriteCondition = {},
): Promise<ExpenseRecord> {
  const newGroupId = input.group_id ?? null;
  const { today, outside } = judgeOutsideGroup(ctx, input);
  const record = await inTransaction(
    ctx.db,
    async (tx) => {
      const fields = involvedFields(input);
      const sameGroup = (g: number | null) => newGroupId !== null && g === newGroupId;
      // Asked in the lock's statement when the edit stays in the expense's group (found there).
      const { old, oldGroup } = await lockForChange(tx, id, actor, cond, fields);
      let group: LockedGroup | undefined;
      let content: ExpenseContent;
      if (newGroupId === null) {
        content = outside as ExpenseContent;
        assertActorInvolved(content, actor);
      } else if (sameGroup(old.groupId) && oldGroup) {
        group = oldGroup;
        content = toExpenseContent(input, today, groupDefaults(group));
        assertAllMembers(group, fields);
      } else {
        const judged = await groupForMoney(tx, newGroupId, actor, fields, (g) =>
          toExpenseContent(input, today, groupDefaults(g)),
        );
        group = judged.group;
        content = judged.judged;
      }
      const names = await lockActiveUsers(tx, actor, withActor(fields, actor));
      const record = await replaceExpense(tx, id, content, actor);
      const removed = ledgerDeltasOf(old, -1);
      const added = ledgerDeltasOf(content, 1);
      // Everyone before and after hears of it: someone removed from the split learns it too.
      const recipients = expenseRecipients(record, old);
      // One upsert for both (in another currency the old rows go down and the new ones up).
      const pairs = await moveBalances(tx, mergeLedgerDeltas(removed, added), record, recipients);
      if (sameGroup(old.groupId))
        await applyToGroup(tx, newGroupId, mergeLedgerDeltas(removed, added));
      else {
        await applyToGroup(tx, old.groupId, removed);
        await applyToGroup(tx, newGroupId, added);
      }
      const entry = expenseEntry("expense.updated", actor, record, old);
      const people = { names, actor, groupName: group?.name ?? oldGroup?.name ?? null };
      await logAndNotify(tx, entry, "expense.updated", record, recipients, pairs, people);
      return record;
    },
    ctx.config.TX_MAX_RETRIES,
  );
  ctx.outboxWritten?.();
  return record;
}

/** Soft delete: the expense stays in the ledger as deleted, its effect on balances is reversed. */
export async function deleteExpenseById(
  ctx: AppContext,
  id: number,
  actor: number,
  cond: WriteCondition = {},
): Promise<void> {
  await inTransaction(
    ctx.db,
    async (tx) => {
      const { old, oldGroup } = await lockForChange(tx, id, actor, cond);
      await markExpenseDeleted(tx, id, actor);
      const removed = ledgerDeltasOf(old, -1);
      const recipients = expenseRecipients(old);
      const pairs = await moveBalances(tx, removed, old, recipients);
      await applyToGroup(tx, old.groupId, removed);
      const names = await namesOf(tx, [...old.payers.map((p) => p.userId), actor]);
      const people = { names, actor, groupName: oldGroup?.name ?? null };
      const entry = expenseEntry("expense.deleted", actor, old);
      await logAndNotify(tx, entry, "expense.deleted", old, recipients, pairs, people);
    },
    ctx.config.TX_MAX_RETRIES,
  );
  ctx.outboxWritten?.();
}
