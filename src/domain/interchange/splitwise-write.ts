/**
 * Writes a group in Splitwise's group-export layout, so other tools (and Splitwise-minded
 * spreadsheets) can read it:
 *
 *   Date,Description,Category,Cost,Currency,Asha,Ravi
 *   2024-03-01,Dinner,Dining out,900.00,INR,600.00,-600.00      ← paid − share per member
 *   2024-03-02,Ravi paid Asha,Payment,100.00,INR,-100.00,100.00 ← a settlement
 *                                                               ← blank separator row
 *   2024-03-02,Total balance,,,INR,500.00,-500.00               ← one per currency
 */
import { stringify } from "csv-stringify/sync";
import { formatMinor } from "../currency.js";
import type { InterchangeGroup } from "./model.js";
import { netsByCurrency } from "./model.js";

export const SPLITWISE_COLUMNS = ["Date", "Description", "Category", "Cost", "Currency"] as const;
export const TOTAL_BALANCE = "Total balance";
export const PAYMENT = "Payment";
/** A settlement's Description: the row says no more than who paid whom. */
const paymentDescription = (from: string, to: string) => `${from} paid ${to}`;

/**
 * A Payment row's Description as its settlement's note (the reader's side). Kept, unless it only
 * restates the row: Splitwise's default "Payment", or "<from> paid <to>" (what Splitwise shows and
 * what `writeSplitwiseCsv` writes), so an exported file read back gains no note. Anything else is
 * what someone typed ("cash at the airport").
 */
export function paymentNote(description: string, from: string, to: string): string | null {
  const text = description.trim();
  const generic = [PAYMENT, paymentDescription(from, to)].map((g) => g.toLowerCase());
  return text === "" || generic.includes(text.toLowerCase()) ? null : text;
}

const PLAIN_NEGATIVE = /^-[0-9]+(\.[0-9]+)?$/;
/** Also cells that already start with `'`s before one: so that reading back strips exactly one. */
const ESCAPED = /^'*[=+\-@\t\r]/;

/**
 * A spreadsheet would run a cell starting with `=`, `+`, `-`, `@`, tab or CR as a formula
 * (OWASP "CSV injection"): such cells get a leading `'`, except plain negative numbers, which
 * must stay numbers. `unescapeCell` undoes it.
 */
export function escapeCell(cell: string): string {
  return ESCAPED.test(cell) && !PLAIN_NEGATIVE.test(cell) ? `'${cell}` : cell;
}

/** The inverse of `escapeCell` for cells it wrote (one `'` before a formula start). */
export function unescapeCell(cell: string): string {
  return cell.startsWith("'") && ESCAPED.test(cell.slice(1)) ? cell.slice(1) : cell;
}

interface Row {
  date: string;
  cells: string[];
}

/** The group as Splitwise CSV text (UTF-8, CRLF-free `\n` lines, every cell escaped). */
export function writeSplitwiseCsv(g: InterchangeGroup): string {
  const names = g.members.map((m) => m.name);
  const index = new Map(names.map((n, i) => [n, i]));
  const rows: Row[] = [];
  for (const e of g.expenses) {
    const net = names.map(() => 0);
    const add = (member: string, amount: number) => {
      const i = index.get(member) as number;
      net[i] = (net[i] as number) + amount;
    };
    for (const p of e.payers) add(p.member, p.amount);
    for (const s of e.shares) add(s.member, -s.amount);
    rows.push({
      date: e.date,
      cells: [
        e.date,
        e.description,
        e.category ?? "General",
        formatMinor(e.amount, e.currency),
        e.currency,
        ...net.map((n) => formatMinor(n, e.currency)),
      ],
    });
  }
  for (const s of g.settlements) {
    const net = names.map((n) => (n === s.from ? s.amount : n === s.to ? -s.amount : 0));
    rows.push({
      date: s.date,
      cells: [
        s.date,
        paymentDescription(s.from, s.to),
        PAYMENT,
        formatMinor(s.amount, s.currency),
        s.currency,
        ...net.map((n) => formatMinor(n, s.currency)),
      ],
    });
  }
  // By date; expenses before settlements on the same day (a stable sort keeps that order).
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const last = rows.at(-1)?.date ?? "";
  const nets = netsByCurrency(g);
  const totals = [...nets.keys()]
    .sort()
    .map((currency) => [
      last,
      TOTAL_BALANCE,
      "",
      "",
      currency,
      ...names.map((n) => formatMinor(nets.get(currency)?.get(n) ?? 0, currency)),
    ]);
  const csv = (records: string[][]) =>
    records.length === 0
      ? ""
      : stringify(
          records.map((r) => r.map(escapeCell)),
          { eof: true },
        );
  return `${csv([[...SPLITWISE_COLUMNS, ...names]])}${csv(rows.map((r) => r.cells))}\n${csv(totals)}`;
}
