import type { Tx } from "../db/client.js";
import { applyDeltas, pairsWith } from "../db/repos/balances.js";
import { markExpenseRestored } from "../db/repos/expense-restore.js";
import { type ExpenseRecord, findExpense } from "../db/repos/expenses.js";
import { writeOutbox } from "../db/repos/outbox.js";
import {
  findSettlement,
  type SettlementRow,
  setSettlementDeleted,
} from "../db/repos/settlements.js";
import { namesOf } from "../db/repos/users.js";
import { inTransaction } from "../db/transaction.js";
import { expenseDeltas, inCurrency, negateDeltas, settlementDeltas } from "../domain/debts.js";
import { Conflict, Forbidden, NotFound } from "../domain/errors.js";
import { expenseMessages, expenseRecipients } from "../notifications/events.js";
import { assertCanChangeExpense, canSeeSettlement } from "./access.js";
import { logExpense, logSettlement } from "./activity.js";
import type { AppContext } from "./context.js";
import {
  applyToGroup,
  assertAllMembers,
  assertNotArchived,
  type LockedGroup,
  lockGroupForMoney,
} from "./group-money.js";
import { assertNoneDeactivated } from "./involved-users.js";

/**
 * Undo: restoring a deleted expense, deleting and restoring a settlement. Each re-applies (or
 * reverses) exactly the deltas the original write applied, overall and in its group, in one
 * transaction with its activity entry. Checks in this order: may see it (404), may change it
 * (403), its state (409: not deleted / already deleted), then the group's rules and that nobody
 * it involves is deactivated (422).
 */

/** The group of a ledger row, share-locked, asked about the actor and the row's people. */
async function lockItsGroup(
  tx: Tx,
  groupId: number | null,
  actor: number,
  people: number[],
): Promise<LockedGroup | undefined> {
  if (groupId === null) return undefined;
  return lockGroupForMoney(tx, groupId, actor, new Map(people.map((u) => [u, "expense"])));
}

/** POST /expenses/{id}/restore: whoever may edit it; 409 unless it is deleted. */
export async function restoreExpense(
  ctx: AppContext,
  id: number,
  actor: number,
): Promise<ExpenseRecord> {
  const restored = await inTransaction(
    ctx.db,
    async (tx) => {
      const old = await findExpense(tx, id, { lock: true, deleted: true });
      if (!old) throw new NotFound("expense", id);
      const people = expenseRecipients(old);
      const group = await lockItsGroup(tx, old.groupId, actor, people);
      assertCanChangeExpense(old, actor, group?.members.includes(actor) ?? false);
      if (old.deletedAt === null) throw new Conflict(`Expense ${id} is not deleted`);
      const fields = new Map(people.map((u) => [u, "expense"]));
      if (group) {
        assertNotArchived(group, "expense");
        assertAllMembers(group, fields);
      }
      await assertNoneDeactivated(tx, actor, fields);
      await markExpenseRestored(tx, id, actor);
      const deltas = inCurrency(expenseDeltas(old.payers, old.shares), old.currency);
      await applyDeltas(tx, deltas);
      await applyToGroup(tx, old.groupId, deltas);
      const record = await findExpense(tx, id);
      if (!record) throw new Error("restored expense vanished");
      await logExpense(tx, "expense.restored", actor, record);
      const payerId = record.payers[0]?.userId ?? 0;
      const names = await namesOf(tx, [...record.payers.map((p) => p.userId), actor]);
      const pairs = await pairsWith(
        tx,
        payerId,
        people.filter((r) => r !== payerId),
      );
      await writeOutbox(
        tx,
        expenseMessages(
          "expense.restored",
          record,
          people,
          names,
          pairs,
          actor,
          group?.name ?? null,
        ),
      );
      return record;
    },
    ctx.config.TX_MAX_RETRIES,
  );
  ctx.outboxWritten?.();
  return restored;
}

/**
 * Locks a settlement (deleted ones too) and checks who may undo it: either party, and in a group
 * any current member. 404 for anyone who may not see it; 403 for a party who has left its group
 * (they still see the payment, but may no longer change the group's money).
 */
async function lockSettlement(
  tx: Tx,
  id: number,
  actor: number,
): Promise<{ row: SettlementRow; group: LockedGroup | undefined }> {
  const row = await findSettlement(tx, id, { lock: true, deleted: true });
  if (!row) throw new NotFound("settlement", id);
  const group = await lockItsGroup(tx, row.groupId, actor, [row.fromUser, row.toUser]);
  const member = group?.members.includes(actor) ?? false;
  if (!canSeeSettlement(row, actor, member)) throw new NotFound("settlement", id);
  if (row.groupId !== null && !member)
    throw new Forbidden("Only the group's members may change its settlements");
  return { row, group };
}

/** What a settlement moves, in its currency. */
const settlementDeltasOf = (row: SettlementRow) =>
  inCurrency(settlementDeltas(row.fromUser, row.toUser, row.amount), row.currency);

/**
 * 422 unless undoing or redoing it is still allowed: its group (if any) is not archived, both
 * parties are still members, and neither is deactivated (it would give them a balance).
 */
async function assertStillOpen(
  tx: Tx,
  actor: number,
  group: LockedGroup | undefined,
  row: SettlementRow,
): Promise<void> {
  const parties = new Map([
    [row.fromUser, "from_user"],
    [row.toUser, "to_user"],
  ]);
  if (group) {
    assertNotArchived(group, "settlement");
    assertAllMembers(group, parties);
  }
  await assertNoneDeactivated(tx, actor, parties);
}

/** DELETE /settlements/{id}: reverses it (a deleted one is gone: 404, like a deleted expense). */
export async function deleteSettlement(ctx: AppContext, id: number, actor: number): Promise<void> {
  await inTransaction(
    ctx.db,
    async (tx) => {
      const { row, group } = await lockSettlement(tx, id, actor);
      if (row.deletedAt !== null) throw new NotFound("settlement", id);
      await assertStillOpen(tx, actor, group, row);
      await setSettlementDeleted(tx, id, actor);
      const removed = negateDeltas(settlementDeltasOf(row));
      await applyDeltas(tx, removed);
      await applyToGroup(tx, row.groupId, removed);
      await logSettlement(tx, "settlement.deleted", actor, row);
    },
    ctx.config.TX_MAX_RETRIES,
  );
}

/** POST /settlements/{id}/restore: re-applies it; 409 unless it is deleted. */
export async function restoreSettlement(
  ctx: AppContext,
  id: number,
  actor: number,
): Promise<SettlementRow> {
  return inTransaction(
    ctx.db,
    async (tx) => {
      const { row, group } = await lockSettlement(tx, id, actor);
      if (row.deletedAt === null) throw new Conflict(`Settlement ${id} is not deleted`);
      await assertStillOpen(tx, actor, group, row);
      const restored = await setSettlementDeleted(tx, id, null);
      const deltas = settlementDeltasOf(row);
      await applyDeltas(tx, deltas);
      await applyToGroup(tx, row.groupId, deltas);
      await logSettlement(tx, "settlement.restored", actor, row);
      return restored;
    },
    ctx.config.TX_MAX_RETRIES,
  );
}
