/**
 * Evenly's own export format, `format_version: 1`: the interchange model as JSON, losslessly.
 * Money is decimal text in its currency's digits ("900.00", "1500" yen); percentages and
 * weights are 2-decimal text ("33.33", "1.5"), as the API takes them. An export also writes the
 * ids (members' `userid`, expenses' and settlements' `id`) and the `activity` log, which name
 * things by id; all four are optional, kept when read, and never imported.
 */
import { z } from "zod";
import { formatMinor, isCurrencyCode, minorDigits, parseAmount } from "../currency.js";
import type { FieldIssue } from "../errors.js";
import { formatPaise, parseDecimal2 } from "../money.js";
import { EXPENSE_SPLIT_TYPES } from "../splits.js";
import { describeGroup } from "./check.js";
import { FileActivity, readActivity, writeActivity } from "./evenly-activity.js";
import { parseJsonFile, pathOf } from "./json-file.js";
import {
  type ImportResult,
  type InterchangeExpense,
  type InterchangeGroup,
  type InterchangeSplit,
  MalformedFile,
} from "./model.js";
import { arrayLength, type RowLimit, tooManyRows } from "./row-limit.js";

const FORMAT = "Evenly JSON";
export const EVENLY_FORMAT_VERSION = 1;

const Decimal = z.string().regex(/^-?[0-9]+(\.[0-9]+)?$/, "must be a decimal number as a string");
const Code = z.string().refine(isCurrencyCode, "must be an ISO 4217 currency code");
const Text = z.string().nullable();
const Amounts = z.array(z.strictObject({ member: z.string(), amount: Decimal }));
const RowId = z.number().int().positive();

const FileExpense = z.strictObject({
  id: RowId.optional(),
  date: z.string(),
  description: z.string(),
  category: Text,
  note: Text,
  currency: Code,
  amount: Decimal,
  payers: Amounts,
  shares: Amounts,
  split: z.strictObject({
    type: z.enum(EXPENSE_SPLIT_TYPES as [string, ...string[]]),
    values: z.array(Decimal).nullable(),
    items: z
      .array(
        z.strictObject({ description: z.string(), amount: Decimal, members: z.array(z.string()) }),
      )
      .nullable(),
    tax: Decimal,
    tip: Decimal,
  }),
  original: z.strictObject({ amount: Decimal, currency: Code, rate: Decimal }).nullable(),
});

const FileSettlement = z.strictObject({
  id: RowId.optional(),
  date: z.string(),
  from: z.string(),
  to: z.string(),
  amount: Decimal,
  currency: Code,
  note: Text,
});

export const EvenlyFile = z.strictObject({
  format_version: z.literal(EVENLY_FORMAT_VERSION),
  group: z.strictObject({ name: Text, currency: Code }),
  members: z.array(z.strictObject({ name: z.string(), email: Text, userid: RowId.optional() })),
  expenses: z.array(FileExpense),
  settlements: z.array(FileSettlement),
  activity: z.array(FileActivity).optional(),
});
export type EvenlyFile = z.infer<typeof EvenlyFile>;

/** Money split values are in the currency's digits; percentages and weights in hundredths. */
const moneyValues = (type: string) => type === "EXACT" || type === "ADJUSTMENT";

function writeSplit(
  split: InterchangeSplit,
  currency: string,
): EvenlyFile["expenses"][number]["split"] {
  const money = (n: number) => formatMinor(n, currency);
  return {
    type: split.type,
    values: split.values?.map((v) => (moneyValues(split.type) ? money(v) : formatPaise(v))) ?? null,
    items:
      split.items?.map((i) => ({
        description: i.description,
        amount: money(i.amount),
        members: i.members,
      })) ?? null,
    tax: money(split.tax),
    tip: money(split.tip),
  };
}

/** `{id}` when the model has one (an export), else nothing: the key is left out. */
const idOf = (id: number | undefined) => (id === undefined ? {} : { id });

function writeExpense(e: InterchangeExpense): EvenlyFile["expenses"][number] {
  const money = (n: number) => formatMinor(n, e.currency);
  return {
    ...idOf(e.id),
    date: e.date,
    description: e.description,
    category: e.category,
    note: e.note,
    currency: e.currency,
    amount: money(e.amount),
    payers: e.payers.map((p) => ({ member: p.member, amount: money(p.amount) })),
    shares: e.shares.map((s) => ({ member: s.member, amount: money(s.amount) })),
    split: writeSplit(e.split, e.currency),
    original: e.original && {
      amount: formatMinor(e.original.amount, e.original.currency),
      currency: e.original.currency,
      rate: e.original.rate,
    },
  };
}

/** The group as an Evenly JSON file (pretty-printed, keys in a fixed order). */
export function writeEvenlyJson(g: InterchangeGroup): string {
  const file: EvenlyFile = {
    format_version: EVENLY_FORMAT_VERSION,
    group: { name: g.name, currency: g.currency },
    members: g.members.map((m) => ({
      name: m.name,
      email: m.email,
      ...(m.userId === undefined ? {} : { userid: m.userId }),
    })),
    expenses: g.expenses.map(writeExpense),
    settlements: g.settlements.map((s) => ({
      ...idOf(s.id),
      date: s.date,
      from: s.from,
      to: s.to,
      amount: formatMinor(s.amount, s.currency),
      currency: s.currency,
      note: s.note,
    })),
    ...(g.activity ? { activity: g.activity.map(writeActivity) } : {}),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Reads decimals back to minor units, noting each that has too many digits for its currency. */
class Reader {
  readonly issues: FieldIssue[] = [];
  money(text: string, currency: string, field: string): number {
    const r = parseAmount(text, currency);
    if (r.ok) return r.value;
    // The currency's digits explain a decimals problem only, not "is too large".
    const digits = r.message.includes("decimal places")
      ? ` (${currency} has ${minorDigits(currency)})`
      : "";
    this.issues.push({ field, message: `${r.message}${digits}` });
    return 0;
  }
  hundredths(text: string, field: string): number {
    const r = parseDecimal2(text);
    if (r.ok) return r.value;
    this.issues.push({ field, message: r.message });
    return 0;
  }
}

function readExpense(e: EvenlyFile["expenses"][number], at: string, r: Reader): InterchangeExpense {
  const m = (t: string, f: string) => r.money(t, e.currency, `${at}.${f}`);
  const s = e.split;
  return {
    ...idOf(e.id),
    date: e.date,
    description: e.description,
    category: e.category,
    note: e.note,
    currency: e.currency,
    amount: m(e.amount, "amount"),
    payers: e.payers.map((p, i) => ({
      member: p.member.trim(),
      amount: m(p.amount, `payers[${i}].amount`),
    })),
    shares: e.shares.map((x, i) => ({
      member: x.member.trim(),
      amount: m(x.amount, `shares[${i}].amount`),
    })),
    split: {
      type: s.type as InterchangeSplit["type"],
      values:
        s.values?.map((v, i) =>
          moneyValues(s.type)
            ? m(v, `split.values[${i}]`)
            : r.hundredths(v, `${at}.split.values[${i}]`),
        ) ?? null,
      items:
        s.items?.map((it, i) => ({
          description: it.description,
          amount: m(it.amount, `split.items[${i}].amount`),
          members: it.members.map((n) => n.trim()),
        })) ?? null,
      tax: m(s.tax, "split.tax"),
      tip: m(s.tip, "split.tip"),
    },
    original: e.original && {
      amount: r.money(e.original.amount, e.original.currency, `${at}.original.amount`),
      currency: e.original.currency,
      rate: e.original.rate,
    },
  };
}

/**
 * Reads an Evenly JSON file; throws MalformedFile naming every bad field (JSON paths), or saying
 * it has more than `maxRows` expenses and settlements (before any is read). Member names are
 * trimmed wherever they appear, as the other readers do and as the import's mapping keys are:
 * " Asha " is mapped as "Asha", and next to "Asha" it is a repeated name.
 */
export function readEvenlyJson(text: string, options: RowLimit = {}): ImportResult {
  const raw = parseJsonFile(text, FORMAT);
  const [expenses, settlements] = [arrayLength(raw, "expenses"), arrayLength(raw, "settlements")];
  if (options.maxRows !== undefined && expenses + settlements > options.maxRows)
    throw tooManyRows(
      FORMAT,
      `${expenses + settlements} rows (${expenses} expenses and ${settlements} settlements)`,
      options.maxRows,
    );
  const parsed = EvenlyFile.safeParse(raw);
  if (!parsed.success) {
    throw new MalformedFile(
      FORMAT,
      parsed.error.issues.map((i) => ({ field: pathOf(i.path) || "file", message: i.message })),
    );
  }
  const f = parsed.data;
  const r = new Reader();
  const group: InterchangeGroup = {
    name: f.group.name,
    currency: f.group.currency,
    members: f.members.map((m) => ({
      name: m.name.trim(),
      email: m.email,
      ...(m.userid === undefined ? {} : { userId: m.userid }),
    })),
    expenses: f.expenses.map((e, i) => readExpense(e, `expenses[${i}]`, r)),
    settlements: f.settlements.map((s, i) => ({
      ...idOf(s.id),
      date: s.date,
      from: s.from.trim(),
      to: s.to.trim(),
      amount: r.money(s.amount, s.currency, `settlements[${i}].amount`),
      currency: s.currency,
      note: s.note,
    })),
    ...(f.activity ? { activity: f.activity.map(readActivity) } : {}),
  };
  if (r.issues.length > 0) throw new MalformedFile(FORMAT, r.issues);
  const issues = describeGroup(group);
  if (issues.length > 0) throw new MalformedFile(FORMAT, issues);
  return { group, problems: [] };
}
