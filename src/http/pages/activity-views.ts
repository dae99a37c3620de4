import type { ActivityRow } from "../../db/repos/activity.js";
import { isCurrencyCode, parseAmount } from "../../domain/currency.js";
import { toOneLine } from "../../domain/text.js";
import { changesOf, type FeedFacts } from "../../services/activity-feed.js";
import type { ImportFormat } from "../../services/import.js";
import { formatAmount, formatDate, formatTimestamp } from "./format.js";

/** One piece of a sentence: plain text, or a link. */
export interface FeedPart {
  text: string;
  href?: string;
}

/** One entry of the activity feed, told as a sentence from the viewer's side. */
export interface FeedEntry {
  id: number;
  when: string;
  parts: FeedPart[];
  /** A deleted expense: a link to its page with the Restore button. */
  restoreHref: string | null;
  /** A deleted settlement: a Restore button posting here. */
  restoreAction: string | null;
}

export interface ActivityView {
  heading: string;
  /** The group the feed is about (its page links back), or null for the viewer's own feed. */
  group: { id: number; name: string } | null;
  entries: FeedEntry[];
  olderUrl: string | null;
}

/**
 * "$1,200.00" from the decimal text an entry's changes keep ("1200.00", in the expense's currency
 * then); the text itself when the currency is not known or the text is not one of its amounts.
 */
const money = (v: unknown, currency: string | null): string => {
  if (typeof v !== "string" || currency === null || !isCurrencyCode(currency))
    return String(v ?? "—");
  const p = parseAmount(v, currency);
  return p.ok ? formatAmount(p.value, currency) : v;
};

/** The currencies an edit's amounts were in: its own change of currency, else the expense's. */
interface EditCurrencies {
  from: string | null;
  to: string | null;
}

const CHANGE_TEXT: Record<
  string,
  (from: unknown, to: unknown, currencies: EditCurrencies) => string
> = {
  amount: (f, t, c) => `amount ${money(f, c.from)} → ${money(t, c.to)}`,
  description: (f, t) => `description “${String(f)}” → “${String(t)}”`,
  date: (f, t) => `date ${formatDate(String(f))} → ${formatDate(String(t))}`,
  split_type: (f, t) => `split ${String(f)} → ${String(t)}`,
  currency: (f, t) => `currency ${String(f)} → ${String(t)}`,
  name: (f, t) => `name “${String(f)}” → “${String(t)}”`,
  simplify_debts: (_f, t) => (t ? "simplify debts turned on" : "simplify debts turned off"),
  payers: () => "who paid",
  participants: () => "the shares",
  group_id: () => "the group",
  category: (f, t) =>
    `category ${f === null ? "none" : `“${String(f)}”`} → ${t === null ? "none" : `“${String(t)}”`}`,
  notes: () => "the notes",
};

/** How much of a settlement's note an entry of the feed shows. */
const FEED_NOTE_LENGTH = 80;

const IMPORTED_FROM: Record<ImportFormat, string> = {
  "splitwise-csv": "a Splitwise CSV file",
  "spliit-json": "a Spliit JSON file",
  "evenly-json": "an Evenly JSON file",
};

/** " by importing a Splitwise CSV file" for a group.created entry of an import, else "". */
function importedText(a: ActivityRow): string {
  const from = changesOf(a).imported_from?.to;
  if (typeof from !== "string") return "";
  return ` by importing ${IMPORTED_FROM[from as ImportFormat] ?? from}`;
}

function changesText(a: ActivityRow, currency: string | null = null): string {
  const changes = changesOf(a);
  const changed = changes.currency;
  const currencies = {
    from: typeof changed?.from === "string" ? changed.from : currency,
    to: typeof changed?.to === "string" ? changed.to : currency,
  };
  const list = Object.entries(changes).map(([k, c]) =>
    (CHANGE_TEXT[k] ?? (() => k))(c.from, c.to, currencies),
  );
  return list.length === 0 ? "" : `: ${list.join("; ")}`;
}

/**
 * The currency each expense edit on the page was made in (its amounts' currency), by entry id:
 * the expense's currency now, taken back past every newer change of currency on the page. An
 * entry records the currency only when it changed it, so a change on a newer page is not seen
 * here (the amounts then read in today's currency, or as plain text if they do not fit it).
 */
function editCurrencies(rows: ActivityRow[], facts: FeedFacts): Map<number, string> {
  const current = new Map([...facts.expenses].map(([id, e]) => [id, e.currency]));
  const out = new Map<number, string>();
  for (const a of [...rows].sort((x, y) => y.id - x.id)) {
    if (a.kind !== "expense.updated" || a.expenseId === null) continue;
    const changed = changesOf(a).currency;
    const now = typeof changed?.to === "string" ? changed.to : current.get(a.expenseId);
    if (now !== undefined) out.set(a.id, now);
    if (typeof changed?.from === "string") current.set(a.expenseId, changed.from);
  }
  return out;
}

/** Builds every entry's sentence; people the viewer does not know are "someone". */
export function feedEntries(
  rows: ActivityRow[],
  facts: FeedFacts,
  me: number,
  timeZone: string,
): FeedEntry[] {
  const who = (id: number, start: boolean) =>
    id === me ? (start ? "You" : "you") : (facts.names.get(id) ?? (start ? "Someone" : "someone"));
  const currencyOfEdit = editCurrencies(rows, facts);
  return rows.map((a) => {
    const parts: FeedPart[] = [{ text: `${who(a.actor, true)} ` }];
    let restoreHref: string | null = null;
    let restoreAction: string | null = null;
    let note = "";
    const [verb, what] = a.kind.split(".") as [string, string];
    if (verb === "expense" && a.expenseId !== null) {
      const e = facts.expenses.get(a.expenseId);
      const deleted = e?.deletedAt != null;
      const href = deleted
        ? `/app/expenses/${a.expenseId}/deleted`
        : `/app/expenses/${a.expenseId}`;
      const title = { text: `“${e?.description ?? `expense ${a.expenseId}`}”`, href };
      const amount = e ? ` (${formatAmount(e.amount, e.currency)})` : "";
      if (what === "created") parts.push({ text: "added " }, title, { text: amount });
      else if (what === "updated")
        parts.push({ text: "changed " }, title, {
          text: changesText(a, currencyOfEdit.get(a.id) ?? null),
        });
      else if (what === "deleted") parts.push({ text: "deleted " }, title, { text: amount });
      else parts.push({ text: "restored " }, title, { text: amount });
      if (what === "deleted" && deleted && facts.restorableExpenses.has(a.expenseId))
        restoreHref = href;
    } else if (verb === "settlement" && a.settlementId !== null) {
      const s = facts.settlements.get(a.settlementId);
      const verbText = { created: "recorded", deleted: "deleted", restored: "restored" }[what];
      const amount = s ? formatAmount(s.amount, s.currency) : "";
      const between = !s
        ? ""
        : s.fromUser === a.actor
          ? ` to ${who(s.toUser, false)}`
          : ` from ${who(s.fromUser, false)} to ${who(s.toUser, false)}`;
      parts.push({ text: `${verbText ?? what} a payment of ${amount}${between}` });
      // Its note ends the sentence, on one line and short: the feed is a list of sentences.
      if (s?.note) note = `: “${toOneLine(s.note, FEED_NOTE_LENGTH)}”`;
      if (
        what === "deleted" &&
        s?.deletedAt != null &&
        facts.restorableSettlements.has(a.settlementId)
      )
        restoreAction = `/app/settlements/${a.settlementId}/restore`;
    }
    if (a.groupId !== null) {
      const g = {
        text: facts.groups.get(a.groupId) ?? `group ${a.groupId}`,
        href: `/app/groups/${a.groupId}`,
      };
      const member = changesOf(a).member;
      const m = (v: unknown) => (typeof v === "number" ? who(v, false) : "someone");
      if (what === "created" && verb === "group")
        parts.push({ text: "created the group " }, g, { text: importedText(a) });
      else if (what === "updated" && verb === "group")
        parts.push({ text: "changed " }, g, { text: changesText(a) });
      else if (what === "member_added") parts.push({ text: `added ${m(member?.to)} to ` }, g);
      else if (what === "member_removed")
        parts.push(
          member?.from === a.actor
            ? { text: "left " }
            : { text: `removed ${m(member?.from)} from ` },
          g,
        );
      else parts.push({ text: " in " }, g);
    }
    if (note) parts.push({ text: note });
    return {
      id: a.id,
      when: formatTimestamp(a.at, timeZone),
      parts,
      restoreHref,
      restoreAction,
    };
  });
}
