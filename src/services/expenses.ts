import type { Tx } from "../db/client.js";
import { applyDeltas, pairsWith } from "../db/repos/balances.js";
import {
  type ExpenseContent,
  type ExpenseCursor,
  type ExpenseRecord,
  findExpense,
  insertExpense,
  listExpensesOfUser,
  markExpenseDeleted,
  replaceExpense,
} from "../db/repos/expenses.js";
import { writeOutbox } from "../db/repos/outbox.js";
import { findUser, namesOf } from "../db/repos/users.js";
import { inTransaction, type TxHooks, withHooks } from "../db/transaction.js";
import { DATE_RANGE_MESSAGE, isDateInRange, todayIn } from "../domain/dates.js";
import { expenseDeltas, mergeDeltas, negateDeltas } from "../domain/debts.js";
import { type FieldIssue, NotFound, PreconditionFailed, RuleViolation } from "../domain/errors.js";
import { parseDecimal2 } from "../domain/money.js";
import { type SplitSpec, type SplitType, splitExpense, splitIssues } from "../domain/split.js";
import { type ExpenseEvent, expenseMessages, expenseRecipients } from "../notifications/events.js";
import {
  assertActorInvolved,
  assertCanChangeExpense,
  assertCanSeeExpense,
  assertSelf,
} from "./access.js";
import type { AppContext } from "./context.js";
import { lockActiveUsers } from "./involved-users.js";

export type Decimal = string | number;

/** An expense as the API receives it (field names are the API's, so errors can name them). */
export interface ExpenseInput {
  paid_by: number;
  amount: Decimal;
  split_type: SplitType;
  participants: number[];
  split_values?: Decimal[] | undefined;
  description: string;
  date?: string | undefined;
  currency?: string | undefined;
}

export const SUPPORTED_CURRENCIES = ["INR"] as const;

function parseValues(values: Decimal[], field: string, issues: FieldIssue[]): number[] {
  return values.map((v, i) => {
    const r = parseDecimal2(v);
    if (r.ok) return r.value;
    issues.push({ field: `${field}[${i}]`, message: r.message });
    return 0;
  });
}

/** Validates an expense and computes its shares: pure, no I/O. Throws RuleViolation. */
export function toExpenseContent(input: ExpenseInput, today: string): ExpenseContent {
  const issues: FieldIssue[] = [];
  const amount = parseDecimal2(input.amount);
  if (!amount.ok) issues.push({ field: "amount", message: amount.message });
  const currency = input.currency ?? "INR";
  if (!(SUPPORTED_CURRENCIES as readonly string[]).includes(currency)) {
    issues.push({
      field: "currency",
      message: `only ${SUPPORTED_CURRENCIES.join(", ")} is supported`,
    });
  }
  if (input.date !== undefined && !isDateInRange(input.date))
    issues.push({ field: "date", message: DATE_RANGE_MESSAGE });
  let spec: SplitSpec = { type: "EQUAL" };
  const before = issues.length;
  if (input.split_type === "EQUAL") {
    if (input.split_values !== undefined) {
      issues.push({ field: "split_values", message: "must be omitted for an EQUAL split" });
    }
  } else if (input.split_values === undefined) {
    issues.push({ field: "split_values", message: `is required for a ${input.split_type} split` });
  } else {
    const values = parseValues(input.split_values, "split_values", issues);
    spec =
      input.split_type === "EXACT"
        ? { type: "EXACT", amounts: values }
        : { type: "PERCENTAGE", basisPoints: values };
  }
  if (issues.length > 0 || !amount.ok) {
    // Every problem at once: the split's own checks run on whatever did parse.
    const valuesOk = issues.length === before;
    const split = splitIssues(
      amount.ok ? amount.value : null,
      input.participants,
      valuesOk ? spec : null,
    );
    throw new RuleViolation("The expense is not valid", [...issues, ...split]);
  }
  const shares = splitExpense(amount.value, input.participants, spec);
  const splitValues =
    spec.type === "EXACT" ? spec.amounts : spec.type === "PERCENTAGE" ? spec.basisPoints : null;
  return {
    description: input.description,
    amount: amount.value,
    currency,
    splitType: input.split_type,
    date: input.date ?? today,
    payers: [{ userId: input.paid_by, amount: amount.value }],
    shares: shares.map((s, i) => ({
      ...s,
      splitValue: splitValues ? (splitValues[i] ?? null) : null,
    })),
  };
}

function involvedFields(input: ExpenseInput): Map<number, string> {
  const fields = new Map<number, string>([[input.paid_by, "paid_by"]]);
  input.participants.forEach((id, i) => {
    if (!fields.has(id)) fields.set(id, `participants[${i}]`);
  });
  return fields;
}

/**
 * Writes one outbox message per recipient in the same transaction as the change, with each
 * recipient's balance with the payer as it stands after the change (two statements).
 */
async function notify(
  tx: Tx,
  event: ExpenseEvent,
  expense: ExpenseRecord,
  recipients: number[],
  names: Map<number, string>,
  actor: number,
): Promise<void> {
  const payerId = expense.payers[0]?.userId ?? 0;
  const pairs = await pairsWith(
    tx,
    payerId,
    recipients.filter((r) => r !== payerId),
  );
  const actorName = names.get(actor) ?? null;
  await writeOutbox(tx, expenseMessages(event, expense, recipients, names, pairs, actorName));
}

export async function createExpense(
  ctx: AppContext,
  input: ExpenseInput,
  actor: number,
  hooks?: TxHooks<ExpenseRecord>,
): Promise<ExpenseRecord> {
  const content = toExpenseContent(input, todayIn(ctx.config.APP_TIMEZONE));
  assertActorInvolved(input.paid_by, input.participants, actor);
  const record = await inTransaction(
    ctx.db,
    (tx) =>
      withHooks(tx, hooks, async () => {
        const names = await lockActiveUsers(tx, actor, involvedFields(input));
        const record = await insertExpense(tx, content, actor);
        await applyDeltas(tx, expenseDeltas(content.payers, content.shares));
        await notify(tx, "expense.added", record, expenseRecipients(record), names, actor);
        return record;
      }),
    ctx.config.TX_MAX_RETRIES,
  );
  ctx.outboxWritten?.();
  return record;
}

export async function getExpense(
  ctx: AppContext,
  id: number,
  actor: number,
): Promise<ExpenseRecord> {
  const record = await findExpense(ctx.db, id);
  if (!record) throw new NotFound("expense", id);
  assertCanSeeExpense(record, actor);
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

/**
 * Locks the expense for an edit or delete and checks, in this order, that the actor may see it
 * (404), may change it (403) and holds its current version (412): a stranger learns nothing.
 */
async function lockForChange(
  tx: Tx,
  id: number,
  actor: number,
  cond: WriteCondition,
): Promise<ExpenseRecord> {
  const old = await findExpense(tx, id, { lock: true });
  if (!old) throw new NotFound("expense", id);
  assertCanChangeExpense(old, actor);
  checkVersion(old, cond);
  return old;
}

/** Full replacement: balances move as if the old expense never existed and the new one was added. */
export async function replaceExpenseById(
  ctx: AppContext,
  id: number,
  input: ExpenseInput,
  actor: number,
  cond: WriteCondition = {},
): Promise<ExpenseRecord> {
  const content = toExpenseContent(input, todayIn(ctx.config.APP_TIMEZONE));
  const record = await inTransaction(
    ctx.db,
    async (tx) => {
      const old = await lockForChange(tx, id, actor, cond);
      assertActorInvolved(input.paid_by, input.participants, actor);
      const names = await lockActiveUsers(tx, actor, involvedFields(input));
      const record = await replaceExpense(tx, id, content, actor);
      await applyDeltas(
        tx,
        mergeDeltas(
          negateDeltas(expenseDeltas(old.payers, old.shares)),
          expenseDeltas(content.payers, content.shares),
        ),
      );
      // Everyone before and after hears of it: someone removed from the split learns it too.
      await notify(tx, "expense.updated", record, expenseRecipients(record, old), names, actor);
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
      const old = await lockForChange(tx, id, actor, cond);
      await markExpenseDeleted(tx, id, actor);
      await applyDeltas(tx, negateDeltas(expenseDeltas(old.payers, old.shares)));
      const recipients = expenseRecipients(old);
      const names = await namesOf(tx, [...old.payers.map((p) => p.userId), actor]);
      await notify(tx, "expense.deleted", old, recipients, names, actor);
    },
    ctx.config.TX_MAX_RETRIES,
  );
  ctx.outboxWritten?.();
}

export async function listUserExpenses(
  ctx: AppContext,
  userId: number,
  opts: { limit: number; before?: ExpenseCursor | undefined; withUser?: number | undefined },
  actor: number,
): Promise<ExpenseRecord[]> {
  assertSelf(actor, userId);
  if (!(await findUser(ctx.db, userId))) throw new NotFound("user", userId);
  return listExpensesOfUser(ctx.db, userId, opts);
}
