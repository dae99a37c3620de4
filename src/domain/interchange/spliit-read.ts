/**
 * Reads Spliit's group JSON export. Its shape, as read in spliit-app/spliit
 * `src/app/groups/[groupId]/expenses/export/json/route.ts` and `prisma/schema.prisma`: the group
 * (`name`, `currency` symbol, `currencyCode`), `participants: [{id, name}]` and `expenses` with
 * `expenseDate`, `title`, `category`, `amount` (group currency, minor units), `paidById`,
 * `paidFor: [{participantId, shares}]`, `splitMode`, `isReimbursement`, `notes` and
 * `originalAmount`/`originalCurrency`/`conversionRate`. `shares` are ×100 weights (BY_SHARES),
 * basis points (BY_PERCENTAGE) or minor units (BY_AMOUNT), as in its `src/lib/schemas.ts`.
 *
 * Spliit's own shares (`src/lib/shares.ts`): `paidFor` sorted by participant id, each gets the
 * floor of amount × weight / Σweights, the leftover units go by largest remainder, and ties go
 * in order starting at position FNV-1a(expense id) mod n. Listing the participants in that
 * rotated order makes Evenly's rules (EQUAL: leftovers to the first; apportion: largest
 * remainder, ties to the earlier) give exactly Spliit's shares, so the split mode is kept.
 */
import { z } from "zod";
import { describeCurrency, isCurrencyCode } from "../currency.js";
import type { FieldIssue } from "../errors.js";
import { RuleViolation } from "../errors.js";
import { computeShares, type ExpenseSplitSpec } from "../splits.js";
import { describeGroup } from "./check.js";
import { parseJsonFile, pathOf } from "./json-file.js";
import {
  type ImportResult,
  type InterchangeExpense,
  type InterchangeSettlement,
  type InterchangeSplit,
  MalformedFile,
} from "./model.js";
import { arrayLength, type RowLimit, tooManyRows } from "./row-limit.js";

const FORMAT = "Spliit JSON";

const SplitMode = z.enum(["EVENLY", "BY_SHARES", "BY_PERCENTAGE", "BY_AMOUNT"]);
const Int = z.number().int().refine(Number.isSafeInteger, "must be a safe integer");

const SpliitExpense = z.object({
  id: z.string().min(1),
  expenseDate: z.string().regex(/^\d{4}-\d{2}-\d{2}/, "must start with a date YYYY-MM-DD"),
  title: z.string(),
  category: z.object({ name: z.string() }).nullish(),
  amount: Int,
  originalAmount: Int.nullish(),
  originalCurrency: z.string().nullish(),
  conversionRate: z.union([z.string(), z.number()]).nullish(),
  paidById: z.string(),
  paidFor: z.array(z.object({ participantId: z.string(), shares: Int })).min(1),
  isReimbursement: z.boolean().default(false),
  splitMode: SplitMode.default("EVENLY"),
  notes: z.string().nullish(),
});

const SpliitGroup = z.object({
  name: z.string(),
  currency: z.string().optional(),
  currencyCode: z.string().nullish(),
  participants: z.array(z.object({ id: z.string(), name: z.string() })).min(1),
  expenses: z.array(SpliitExpense),
});

type SpliitExpense = z.infer<typeof SpliitExpense>;

/** FNV-1a, 32 bits, over UTF-16 code units: Spliit's seed for who gets leftover units. */
export function spliitHash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `paidFor` in the order that makes Evenly's tie rule Spliit's (see the file comment). */
export function spliitOrder(e: Pick<SpliitExpense, "id" | "paidFor">): SpliitExpense["paidFor"] {
  const sorted = [...e.paidFor].sort((a, b) => (a.participantId < b.participantId ? -1 : 1));
  const offset = spliitHash(e.id) % sorted.length;
  return [...sorted.slice(offset), ...sorted.slice(0, offset)];
}

/** The Evenly split of a Spliit expense; weights that are not a valid % / amount become SHARES. */
function splitOf(e: SpliitExpense, weights: number[]): InterchangeSplit {
  const sum = weights.reduce((s, w) => s + w, 0);
  const base = { items: null, tax: 0, tip: 0 };
  if (e.splitMode === "EVENLY") return { type: "EQUAL", values: null, ...base };
  if (e.splitMode === "BY_PERCENTAGE" && sum === 10_000)
    return { type: "PERCENTAGE", values: weights, ...base };
  if (e.splitMode === "BY_AMOUNT" && sum === e.amount)
    return { type: "EXACT", values: weights, ...base };
  return { type: "SHARES", values: weights, ...base }; // Spliit treats any other as a ratio too
}

function specOf(split: InterchangeSplit): ExpenseSplitSpec {
  const v = split.values ?? [];
  if (split.type === "PERCENTAGE") return { type: "PERCENTAGE", basisPoints: v };
  if (split.type === "EXACT") return { type: "EXACT", amounts: v };
  if (split.type === "SHARES") return { type: "SHARES", weights: v };
  return { type: "EQUAL" };
}

/**
 * Reads a Spliit export into the model. `currency` is used when the group has no `currencyCode`
 * (older Spliit groups only have a symbol). Throws MalformedFile naming each bad field, or
 * saying it has more than `maxRows` expenses (before any is read).
 */
export function readSpliitJson(
  text: string,
  options: { currency: string } & RowLimit,
): ImportResult {
  const raw = parseJsonFile(text, FORMAT);
  // Each Spliit expense is one row (a reimbursement becomes settlements).
  const rows = arrayLength(raw, "expenses");
  if (options.maxRows !== undefined && rows > options.maxRows)
    throw tooManyRows(FORMAT, `${rows} expenses`, options.maxRows);
  const parsed = SpliitGroup.safeParse(raw);
  if (!parsed.success) {
    throw new MalformedFile(
      FORMAT,
      parsed.error.issues.map((i) => ({ field: pathOf(i.path) || "file", message: i.message })),
    );
  }
  const g = parsed.data;
  const problems: string[] = [];
  const issues: FieldIssue[] = [];
  let currency = g.currencyCode ?? "";
  if (!isCurrencyCode(currency)) {
    if (g.currencyCode)
      issues.push({ field: "currencyCode", message: describeCurrency(currency) ?? "" });
    currency = options.currency;
    problems.push(
      `the group has no currency code (symbol ${g.currency ?? "none"}); amounts taken as ${currency}`,
    );
  }
  const nameOf = new Map(g.participants.map((p) => [p.id, p.name.trim()]));
  const expenses: InterchangeExpense[] = [];
  const settlements: InterchangeSettlement[] = [];
  g.expenses.forEach((e, i) => {
    const at = `expenses[${i}]`;
    const unknown = [e.paidById, ...e.paidFor.map((p) => p.participantId)].filter(
      (id) => !nameOf.has(id),
    );
    if (unknown.length > 0) {
      issues.push({
        field: at,
        message: `names unknown participants: ${[...new Set(unknown)].join(", ")}`,
      });
      return;
    }
    if (e.amount <= 0) {
      issues.push({
        field: `${at}.amount`,
        message: "must be greater than 0 (income is not supported)",
      });
      return;
    }
    const order = spliitOrder(e);
    const weights = order.map((p) => p.shares);
    const split = splitOf(e, weights);
    let amounts: number[];
    try {
      amounts = computeShares(
        e.amount,
        order.map((_, k) => k + 1),
        specOf(split),
      ).map((s) => s.amount);
    } catch (err) {
      if (!(err instanceof RuleViolation)) throw err;
      for (const x of err.issues) issues.push({ field: at, message: `${x.field} ${x.message}` });
      return;
    }
    const payer = nameOf.get(e.paidById) as string;
    const date = e.expenseDate.slice(0, 10);
    const shares = order.map((p, k) => ({
      member: nameOf.get(p.participantId) as string,
      amount: amounts[k] as number,
    }));
    if (e.isReimbursement) {
      // A reimbursement's title ("Ben pays Anna back") and notes become the settlements' note.
      const note = [e.title.trim(), e.notes?.trim() ?? ""].filter((x) => x !== "").join("\n");
      for (const s of shares) {
        if (s.member !== payer && s.amount > 0) {
          settlements.push({
            date,
            from: payer,
            to: s.member,
            amount: s.amount,
            currency,
            note: note || null,
          });
        }
      }
      return;
    }
    const hasOriginal =
      e.originalCurrency && e.originalAmount != null && e.originalCurrency !== currency;
    const rate = e.conversionRate == null ? null : String(e.conversionRate);
    if (hasOriginal && rate === null)
      problems.push(`${at}: original amount left out: the file gives no conversion rate`);
    expenses.push({
      date,
      description: e.title.trim(),
      category: e.category?.name ?? null,
      note: e.notes?.trim() || null,
      currency,
      amount: e.amount,
      payers: [{ member: payer, amount: e.amount }],
      shares,
      split,
      original:
        hasOriginal && rate !== null
          ? { amount: e.originalAmount as number, currency: e.originalCurrency as string, rate }
          : null,
    });
  });
  if (issues.length > 0) throw new MalformedFile(FORMAT, issues);
  const group = {
    name: g.name.trim() || null,
    currency,
    members: g.participants.map((p) => ({ name: p.name.trim(), email: null })),
    expenses,
    settlements,
  };
  const modelIssues = describeGroup(group);
  if (modelIssues.length > 0) throw new MalformedFile(FORMAT, modelIssues);
  return { group, problems };
}
