import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Payment } from "../../domain/debts.js";
import type { Expense, ExpenseDraft, ExpenseSplit } from "../../domain/expense.js";
import type { Share } from "../../domain/split.js";
import type { ExpenseSplitType } from "../../domain/splits.js";
import { expensePayers, expenseShares, expenses } from "../schema.js";
import type { Executor } from "../types.js";
import { insertExpenseWithLines, lineValues } from "./expense-insert.js";

/** A stored expense is the domain's Expense: the repository maps rows to it and back. */
export type ExpenseRecord = Expense;
/** What a caller decides of an expense (what `buildExpense` returns). */
export type ExpenseContent = ExpenseDraft;

type ExpenseRow = typeof expenses.$inferSelect;
type ShareRow = { userId: number; amount: number; splitValue: number | null };

/** Payers are kept by user id (the table has no order), so a write reads back as it returns. */
const byUser = (payers: Payment[]) => [...payers].sort((a, b) => a.userId - b.userId);

/** The split as entered, from the expense row and its share rows' split values. */
function splitOfRow(row: ExpenseRow, shares: ShareRow[]): ExpenseSplit {
  const type = row.splitType as ExpenseSplitType;
  if (type === "EQUAL") return { type };
  if (type === "ITEMIZED") {
    return { type, items: row.splitItems ?? [], tax: row.tax ?? 0, tip: row.tip ?? 0 };
  }
  return { type, values: shares.map((s) => s.splitValue ?? 0) };
}

function assemble(row: ExpenseRow, payers: Payment[], shares: ShareRow[]): ExpenseRecord {
  return {
    id: row.id,
    description: row.description,
    category: row.category,
    notes: row.notes,
    amount: row.amount,
    currency: row.currency,
    original:
      row.originalAmount === null || row.originalCurrency === null || row.exchangeRate === null
        ? null
        : {
            amount: row.originalAmount,
            currency: row.originalCurrency,
            rate: canonicalRate(row.exchangeRate),
          },
    date: row.expenseDate,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
    deletedAt: row.deletedAt,
    groupId: row.groupId,
    payers: byUser(payers),
    shares: shares.map((s): Share => ({ userId: s.userId, amount: s.amount })),
    split: splitOfRow(row, shares),
  };
}

/** A numeric as PostgreSQL prints it ("83.1250" keeps its scale) in its canonical text ("83.125"). */
const canonicalRate = (text: string) =>
  text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;

/** The original-amount columns of a content (null unless booked at a rate). */
export function originalColumns(c: ExpenseContent) {
  const o = c.original ?? null;
  return {
    originalAmount: o?.amount ?? null,
    originalCurrency: o?.currency ?? null,
    exchangeRate: o?.rate ?? null,
  };
}

/** The expense row's split columns for a content. */
function splitColumns(c: ExpenseContent) {
  const itemized = c.split.type === "ITEMIZED";
  return {
    splitType: c.split.type,
    splitItems: itemized ? (c.split.items ?? []) : null,
    tax: itemized ? (c.split.tax ?? 0) : null,
    tip: itemized ? (c.split.tip ?? 0) : null,
  };
}

/** Inserts the payer and share rows of an expense: two statements whatever the participant count. */
async function insertLines(db: Executor, expenseId: number, c: ExpenseContent): Promise<void> {
  await db
    .insert(expensePayers)
    .values(c.payers.map((p) => ({ expenseId, userId: p.userId, amount: p.amount })));
  const values = lineValues(c);
  await db.insert(expenseShares).values(
    c.shares.map((s, position) => ({
      expenseId,
      userId: s.userId,
      position,
      amount: s.amount,
      splitValue: values[position] ?? null,
    })),
  );
}

export async function insertExpense(
  db: Executor,
  c: ExpenseContent,
  actor: number | null,
): Promise<ExpenseRecord> {
  // One prepared statement (the hot path).
  const row = await insertExpenseWithLines(db, c, actor);
  return {
    ...c,
    ...row,
    payers: byUser(c.payers),
    createdBy: actor,
    updatedBy: null,
    deletedAt: null,
  };
}

/** Replaces an expense's content in place and bumps its version (lines are rewritten). */
export async function replaceExpense(
  db: Executor,
  id: number,
  c: ExpenseContent,
  actor: number | null,
): Promise<ExpenseRecord> {
  await db.delete(expenseShares).where(eq(expenseShares.expenseId, id));
  await db.delete(expensePayers).where(eq(expensePayers.expenseId, id));
  const [row] = await db
    .update(expenses)
    .set({
      description: c.description,
      category: c.category ?? null,
      notes: c.notes ?? null,
      amount: c.amount,
      currency: c.currency,
      ...originalColumns(c),
      ...splitColumns(c),
      expenseDate: c.date,
      groupId: c.groupId,
      updatedBy: actor,
      updatedAt: sql`now()`,
      version: sql`${expenses.version} + 1`,
    })
    .where(eq(expenses.id, id))
    .returning();
  if (!row) throw new Error("update returned no row");
  await insertLines(db, id, c);
  const values = lineValues(c);
  return assemble(
    row,
    c.payers,
    c.shares.map((sh, i) => ({ ...sh, splitValue: values[i] ?? null })),
  );
}

export async function markExpenseDeleted(
  db: Executor,
  id: number,
  actor: number | null,
): Promise<void> {
  await db
    .update(expenses)
    .set({
      deletedAt: sql`now()`,
      deletedBy: actor,
      updatedAt: sql`now()`,
      version: sql`${expenses.version} + 1`,
    })
    .where(eq(expenses.id, id));
}

/** Loads expenses with their lines: three statements for any number of expenses. */
export async function withLines(db: Executor, rows: ExpenseRow[]): Promise<ExpenseRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const payerRows = await db
    .select()
    .from(expensePayers)
    .where(inArray(expensePayers.expenseId, ids))
    .orderBy(asc(expensePayers.expenseId), asc(expensePayers.userId));
  const shareRows = await db
    .select()
    .from(expenseShares)
    .where(inArray(expenseShares.expenseId, ids))
    .orderBy(asc(expenseShares.expenseId), asc(expenseShares.position));
  const payers = new Map<number, Payment[]>();
  for (const p of payerRows) {
    const list = payers.get(p.expenseId) ?? [];
    list.push({ userId: p.userId, amount: p.amount });
    payers.set(p.expenseId, list);
  }
  const shares = new Map<number, ShareRow[]>();
  for (const s of shareRows) {
    const list = shares.get(s.expenseId) ?? [];
    list.push({ userId: s.userId, amount: s.amount, splitValue: s.splitValue });
    shares.set(s.expenseId, list);
  }
  return rows.map((r) => assemble(r, payers.get(r.id) ?? [], shares.get(r.id) ?? []));
}

/**
 * A live (not deleted) expense; with `deleted`, a deleted one too (restore); with `lock`, its row
 * is locked for an edit or delete.
 */
export async function findExpense(
  db: Executor,
  id: number,
  opts: { lock?: boolean; deleted?: boolean } = {},
): Promise<ExpenseRecord | undefined> {
  const query = db
    .select()
    .from(expenses)
    .where(
      opts.deleted ? eq(expenses.id, id) : and(eq(expenses.id, id), isNull(expenses.deletedAt)),
    );
  const rows = opts.lock ? await query.for("update") : await query;
  const [record] = await withLines(db, rows);
  return record;
}
