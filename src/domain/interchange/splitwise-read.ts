/**
 * Reads Splitwise's group export (English headers; see splitwise-write.ts for the layout). The
 * file only says each member's paid − share per row, so:
 * - one positive cell: that member paid `Cost`; the negative cells are the others' shares and the
 *   payer's share is Cost − their cell (an EXACT split);
 * - several positive cells: a several-payer expense of the sum of the positive cells, each paying
 *   their cell and each negative cell their share: every net is reproduced exactly, but the real
 *   paid/owed split is lost, and the expense's note says so;
 * - `Payment` rows: a settlement from the positive cell to the negative one, its Description the
 *   settlement's note unless it only says who paid whom.
 * Then every member's net per currency must equal the file's `Total balance` row (Description
 * `Total balance`, Cost blank), to the minor unit, or nothing is imported (BalanceMismatch).
 */
import { describeAmount, describeCurrency, formatMinor, minorDigits } from "../currency.js";
import type { FieldIssue } from "../errors.js";
import { parseDecimalPlaces } from "../money.js";
import { describeGroup } from "./check.js";
import { csvRecords, type Parsed } from "./csv-records.js";
import {
  BalanceMismatch,
  type ImportResult,
  type InterchangeExpense,
  type InterchangeGroup,
  type InterchangeSettlement,
  isIsoDate,
  MalformedFile,
  type Mismatch,
  netsByCurrency,
} from "./model.js";
import { linesUpTo, type RowLimit, tooManyRows } from "./row-limit.js";
import { PAYMENT, paymentNote, SPLITWISE_COLUMNS, TOTAL_BALANCE } from "./splitwise-write.js";

const FORMAT = "Splitwise CSV";
/** Lines a file may have beyond its rows: the header, blank lines, one Total balance per currency. */
export const SPLITWISE_EXTRA_LINES = 1000;
export const SEVERAL_PAYERS_NOTE =
  "Imported from Splitwise with several people paying: the file keeps only each person's paid − share, so each payer is shown paying their net and the real paid/owed split is lost.";

/**
 * A cell in the row's currency. Splitwise writes 2 decimals everywhere, so digits beyond the
 * currency's are accepted when they are zeros ("1500.00" yen), and nothing else.
 */
function amountOf(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const m = /^(-?[0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!m) return null;
  const frac = m[2] ?? "";
  if (/[^0]/.test(frac.slice(digits))) return null;
  const kept = frac.slice(0, digits);
  const r = parseDecimalPlaces(kept === "" ? (m[1] as string) : `${m[1]}.${kept}`, digits);
  return r.ok ? r.value : null;
}

const blank = (cells: string[]) => cells.every((c) => c.trim() === "");

/**
 * The group's currency: the one of the most rows (expenses and payments, in file order), ties to
 * the one met first; `fallback` for a file without rows.
 */
function mostUsedCurrency(inFileOrder: string[], fallback: string): string {
  const count = new Map<string, number>();
  for (const c of inFileOrder) count.set(c, (count.get(c) ?? 0) + 1);
  let best = fallback;
  let top = 0;
  // A Map iterates in insertion order, so a tie keeps the currency met first.
  for (const [currency, n] of count)
    if (n > top) {
      best = currency;
      top = n;
    }
  return best;
}

const isTotalRow = (cells: string[]) =>
  cells[1]?.trim() === TOTAL_BALANCE && (cells[3] ?? "").trim() === "";

/**
 * Refuses a file of more than `maxRows` expense and payment rows before its rows are read: by
 * its line count before the CSV is parsed (with SPLITWISE_EXTRA_LINES to spare), then exactly.
 */
function csvWithinLimit(text: string, maxRows: number | undefined): Parsed[] {
  if (maxRows === undefined) return csvRecords(text, FORMAT);
  const cap = maxRows + SPLITWISE_EXTRA_LINES;
  if (linesUpTo(text, cap) > cap)
    throw tooManyRows(FORMAT, `more than ${cap} lines, so more than ${maxRows} rows`, maxRows);
  const records = csvRecords(text, FORMAT);
  // Less the header: the first record that is not blank.
  const rows = records.filter((r) => !blank(r.cells) && !isTotalRow(r.cells)).length - 1;
  if (rows > maxRows) throw tooManyRows(FORMAT, `${rows} expense and payment rows`, maxRows);
  return records;
}

/**
 * Reads the file into the model: each row in its own currency; the group's currency is the one
 * of the most rows (ties: the first in the file; `currency` for a file without rows). Throws
 * MalformedFile listing every bad line (or saying it has more than `maxRows` rows), or
 * BalanceMismatch.
 */
export function readSplitwiseCsv(
  text: string,
  options: { currency: string } & RowLimit,
): ImportResult {
  const rows = csvWithinLimit(text, options.maxRows).filter((r) => !blank(r.cells));
  const [head, ...body] = rows;
  const issues: FieldIssue[] = [];
  const bad = (line: number, message: string) => issues.push({ field: `line ${line}`, message });
  const fixed = head?.cells.slice(0, SPLITWISE_COLUMNS.length) ?? [];
  if (
    !head ||
    fixed.join(",") !== SPLITWISE_COLUMNS.join(",") ||
    head.cells.length <= fixed.length
  ) {
    throw new MalformedFile(FORMAT, [
      {
        field: `line ${head?.line ?? 1}`,
        message: `must be the header ${SPLITWISE_COLUMNS.join(",")},<member name>…`,
      },
    ]);
  }
  const names = head.cells.slice(SPLITWISE_COLUMNS.length).map((n) => n.trim());
  const seen = new Set<string>(); // not names.indexOf: quadratic in a header of 100,000 names
  names.forEach((n, i) => {
    if (n === "") bad(head.line, `column ${SPLITWISE_COLUMNS.length + i + 1} has no member name`);
    else if (seen.has(n)) bad(head.line, `names ${n} twice`);
    seen.add(n);
  });
  if (issues.length > 0) throw new MalformedFile(FORMAT, issues);

  const expenses: InterchangeExpense[] = [];
  const settlements: InterchangeSettlement[] = [];
  const totals = new Map<string, { line: number; nets: number[] }>();
  const problems: string[] = [];
  const rowCurrencies: string[] = [];
  for (const { line, cells } of body) {
    if (cells.length !== head.cells.length) {
      bad(line, `has ${cells.length} columns; the header has ${head.cells.length}`);
      continue;
    }
    const [date = "", description = "", category = "", costText = "", currency = ""] = cells;
    const currencyProblem = describeCurrency(currency);
    if (currencyProblem) {
      bad(line, `Currency ${currencyProblem}`);
      continue;
    }
    const nets = cells.slice(SPLITWISE_COLUMNS.length).map((c) => amountOf(c.trim(), currency));
    const badCell = nets.indexOf(null);
    if (badCell >= 0) {
      bad(
        line,
        `${names[badCell]}'s cell is not an amount in ${currency}: ${cells[SPLITWISE_COLUMNS.length + badCell]}`,
      );
      continue;
    }
    const cell = nets as number[];
    // Splitwise leaves the totals row's Cost blank: an expense described "Total balance" has one.
    if (description.trim() === TOTAL_BALANCE && costText.trim() === "") {
      if (totals.has(currency)) bad(line, `repeats the ${TOTAL_BALANCE} row for ${currency}`);
      totals.set(currency, { line, nets: cell });
      continue;
    }
    if (!isIsoDate(date)) bad(line, `Date must be YYYY-MM-DD, not ${date}`);
    const cost = amountOf(costText.trim(), currency);
    const costProblem =
      cost === null ? `is not an amount in ${currency}` : describeAmount(cost, currency);
    if (costProblem) bad(line, `Cost ${costProblem}`);
    const sum = cell.reduce((s, n) => s + n, 0);
    if (sum !== 0) bad(line, `member cells add up to ${formatMinor(sum, currency)}, not 0`);
    if (cost === null || costProblem || sum !== 0 || !isIsoDate(date)) continue;

    const positive = names.flatMap((member, i) =>
      (cell[i] as number) > 0 ? [{ member, amount: cell[i] as number }] : [],
    );
    const negative = names.flatMap((member, i) =>
      (cell[i] as number) < 0 ? [{ member, amount: -(cell[i] as number) }] : [],
    );
    if (category.trim() === PAYMENT) {
      const [from] = positive;
      const [to] = negative;
      if (positive.length !== 1 || negative.length !== 1 || !from || !to) {
        bad(line, "a Payment must have exactly one positive and one negative cell");
      } else if (from.amount !== cost) {
        bad(line, `a Payment's Cost ${formatMinor(cost, currency)} must equal its cells`);
      } else {
        rowCurrencies.push(currency);
        settlements.push({
          date,
          from: from.member,
          to: to.member,
          amount: cost,
          currency,
          note: paymentNote(description, from.member, to.member),
        });
      }
      continue;
    }
    const what = description.trim() === "" ? "Imported expense" : description.trim();
    const [payer] = positive;
    if (positive.length === 0 || !payer) {
      problems.push(`line ${line} (${what}): nobody owes anyone anything, so it was left out`);
      continue;
    }
    let shares = negative;
    let amount = cost;
    let note: string | null = null;
    if (positive.length === 1) {
      if (payer.amount > cost) {
        bad(
          line,
          `${payer.member}'s cell ${formatMinor(payer.amount, currency)} is more than the Cost`,
        );
        continue;
      }
      // The payer's own share first when they have one: payer − cell = Cost − cell.
      const own = cost - payer.amount;
      if (own > 0)
        shares = names.flatMap((m, i) =>
          m === payer.member
            ? [{ member: m, amount: own }]
            : (cell[i] as number) < 0
              ? [{ member: m, amount: -(cell[i] as number) }]
              : [],
        );
    } else {
      amount = positive.reduce((s, p) => s + p.amount, 0);
      note = `${SEVERAL_PAYERS_NOTE} Cost in the file: ${formatMinor(cost, currency)}.`;
      problems.push(
        `line ${line} (${what}): several payers; the real paid/owed split is not in the file`,
      );
    }
    rowCurrencies.push(currency);
    expenses.push({
      date,
      description: what,
      category: category.trim() || null,
      note,
      currency,
      amount,
      payers: positive.length === 1 ? [{ member: payer.member, amount }] : positive,
      shares,
      split: { type: "EXACT", values: shares.map((s) => s.amount), items: null, tax: 0, tip: 0 },
      original: null,
    });
  }
  if (issues.length > 0) throw new MalformedFile(FORMAT, issues);

  const group: InterchangeGroup = {
    name: null,
    currency: mostUsedCurrency(rowCurrencies, options.currency),
    members: names.map((name) => ({ name, email: null })),
    expenses,
    settlements,
  };
  const modelIssues = describeGroup(group);
  if (modelIssues.length > 0) throw new MalformedFile(FORMAT, modelIssues);
  reconcile(group, names, totals);
  return { group, problems };
}

/** Every member's net per currency against the file's Total balance rows (BalanceMismatch). */
function reconcile(
  g: InterchangeGroup,
  names: string[],
  totals: Map<string, { line: number; nets: number[] }>,
): void {
  const nets = netsByCurrency(g);
  const computed = new Map(
    [...nets].map(([currency, m]) => [currency, names.map((n) => m.get(n) ?? 0)] as const),
  );
  const mismatches: Mismatch[] = [];
  const issues: FieldIssue[] = [];
  for (const currency of new Set([...computed.keys(), ...totals.keys()])) {
    const got = computed.get(currency) ?? names.map(() => 0);
    const total = totals.get(currency);
    if (!total) {
      issues.push({
        field: TOTAL_BALANCE,
        message: `the file has ${currency} rows but no ${TOTAL_BALANCE} row for ${currency}`,
      });
      continue;
    }
    names.forEach((member, i) => {
      const [c, x] = [got[i] as number, total.nets[i] as number];
      if (c === x) return;
      mismatches.push({ currency, member, computed: c, expected: x });
      issues.push({
        field: `line ${total.line}`,
        message: `${member}: the rows give ${formatMinor(c, currency)} ${currency}, the ${TOTAL_BALANCE} row says ${formatMinor(x, currency)}`,
      });
    });
  }
  if (issues.length > 0) throw new BalanceMismatch(mismatches, issues);
}
