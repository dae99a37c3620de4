import type { Executor } from "../db/client.js";
import {
  type ActivityKind,
  type ActivityRow,
  listActivityOfGroup,
  listActivityOfUser,
  type NewActivity,
  writeActivities,
  writeActivity,
} from "../db/repos/activity.js";
import { writeActivityAndOutbox } from "../db/repos/activity-outbox.js";
import { findGroupOfMember } from "../db/repos/groups.js";
import type { OutboxMessage } from "../db/repos/outbox.js";
import { findUser } from "../db/repos/users.js";
import {
  diffFields,
  type ExpenseFacts,
  expenseChanges,
  expenseSubjects,
  type FieldChanges,
} from "../domain/activity.js";
import { NotFound } from "../domain/errors.js";
import { assertSelf } from "./access.js";
import type { AppContext } from "./context.js";

/**
 * The activity history: every write path calls one of the `log…` functions below inside its own
 * transaction (one statement each; an import's thousands at once with logAll), so an entry
 * exists exactly when its change committed. The `…Entry` functions say what an entry holds.
 */

/** An expense's entry: an update (with `before`) records what changed, field by field. */
export function expenseEntry(
  kind: Extract<ActivityKind, `expense.${string}`>,
  actor: number,
  expense: ExpenseFacts & { id: number },
  before?: ExpenseFacts & { groupId: number | null },
): NewActivity {
  return {
    kind,
    actor,
    expenseId: expense.id,
    // An expense moved out of a group stays in the old group's history too (its subjects keep it).
    groupId: expense.groupId ?? before?.groupId ?? null,
    changes: before ? expenseChanges(before, expense) : null,
    subjects: before ? expenseSubjects(before, expense) : expenseSubjects(expense),
  };
}

export function settlementEntry(
  kind: Extract<ActivityKind, `settlement.${string}`>,
  actor: number,
  s: { id: number; fromUser: number; toUser: number; groupId: number | null },
): NewActivity {
  return {
    kind,
    actor,
    settlementId: s.id,
    groupId: s.groupId,
    changes: null,
    subjects: [s.fromUser, s.toUser],
  };
}

/**
 * A group's entry. `changes` for group.updated; a member added or removed is recorded as
 * `{member: {from: null, to: id}}` / `{member: {from: id, to: null}}` and is one of its subjects;
 * an imported group's group.created says where from: `{imported_from: {from: null, to: format}}`.
 */
export function groupEntry(
  kind: Extract<ActivityKind, `group.${string}`>,
  actor: number,
  groupId: number,
  opts: { changes?: FieldChanges | null; subjects?: number[] } = {},
): NewActivity {
  return { kind, actor, groupId, changes: opts.changes ?? null, subjects: opts.subjects ?? [] };
}

export async function logExpense(
  tx: Executor,
  ...entry: Parameters<typeof expenseEntry>
): Promise<void> {
  await writeActivity(tx, expenseEntry(...entry));
}

/** An entry and its change's outbox messages in ONE statement (the hot write paths). */
export async function logWithMessages(
  tx: Executor,
  entry: NewActivity,
  messages: OutboxMessage[],
): Promise<void> {
  await writeActivityAndOutbox(tx, entry, messages);
}

export async function logSettlement(
  tx: Executor,
  ...entry: Parameters<typeof settlementEntry>
): Promise<void> {
  await writeActivity(tx, settlementEntry(...entry));
}

export async function logGroup(
  tx: Executor,
  ...entry: Parameters<typeof groupEntry>
): Promise<void> {
  await writeActivity(tx, groupEntry(...entry));
}

/** Many entries at once, in order (an import): a few statements whatever their number. */
export async function logAll(tx: Executor, entries: NewActivity[]): Promise<void> {
  await writeActivities(tx, entries);
}

/** The changes of a group's settings (empty when nothing differs). */
export function groupChanges(
  before: { name: string; simplifyDebts: boolean; currency: string },
  after: { name: string; simplifyDebts: boolean; currency: string },
): FieldChanges {
  return diffFields(
    { name: before.name, simplify_debts: before.simplifyDebts, currency: before.currency },
    { name: after.name, simplify_debts: after.simplifyDebts, currency: after.currency },
  );
}

export interface ActivityPage {
  limit: number;
  beforeId?: number | undefined;
}

/** GET /users/{id}/activity: only the user themself (404 for anyone else, as for balances). */
export async function listUserActivity(
  ctx: AppContext,
  userId: number,
  opts: ActivityPage,
  actor: number,
): Promise<ActivityRow[]> {
  assertSelf(actor, userId);
  if (!(await findUser(ctx.db, userId))) throw new NotFound("user", userId);
  return listActivityOfUser(ctx.db, userId, opts);
}

/** GET /groups/{id}/activity: current members only (404 for everyone else). */
export async function listGroupActivity(
  ctx: AppContext,
  groupId: number,
  opts: ActivityPage,
  actor: number,
): Promise<ActivityRow[]> {
  if (!(await findGroupOfMember(ctx.db, groupId, actor))) throw new NotFound("group", groupId);
  return listActivityOfGroup(ctx.db, groupId, opts);
}
