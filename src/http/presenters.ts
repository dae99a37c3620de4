import type { ExpenseRecord } from "../db/repos/expenses.js";
import type { SettlementRow } from "../db/repos/settlements.js";
import type { UserRow } from "../db/repos/users.js";
import type { CurrencyAmount } from "../domain/balances.js";
import { toMajor } from "../domain/currency.js";
import { paidBy } from "../domain/payers.js";
import type { UserBalances } from "../services/balances.js";
import type { GroupBalances } from "../services/group-balances.js";
import type { GroupSummary, GroupView } from "../services/groups.js";
import { presentConvertedNet } from "./schemas/conversion.js";

/**
 * Internal records → API shapes: minor units become decimal numbers in their currency's major
 * units only here (INR 2 digits, JPY none, KWD 3; INR output is what it always was).
 */

const presentNets = (nets: CurrencyAmount[]) =>
  nets.map((n) => ({ currency: n.currency, amount: toMajor(n.amount, n.currency) }));

export const presentUser = (u: UserRow) => ({
  userid: u.id,
  name: u.name,
  email: u.email,
  mobile_number: u.mobileNumber,
  active: u.deactivatedAt === null,
  claimed: u.passwordHash !== null,
  created_at: u.createdAt.toISOString(),
});

/** ITEMIZED: the items as entered, with tax and tip; null for the other split types. */
function presentItems(e: ExpenseRecord, money: (minor: number) => number) {
  if (e.split.type !== "ITEMIZED") return { items: null, tax: null, tip: null };
  return {
    items: (e.split.items ?? []).map((i) => ({
      description: i.description,
      amount: money(i.amount),
      participants: i.participants,
    })),
    tax: money(e.split.tax ?? 0),
    tip: money(e.split.tip ?? 0),
  };
}

/** Split values as entered: money (EXACT, ADJUSTMENT) in the currency, the others hundredths. */
function presentValues(e: ExpenseRecord, money: (minor: number) => number) {
  const values = e.split.values;
  if (!values) return null;
  const isMoney = e.split.type === "EXACT" || e.split.type === "ADJUSTMENT";
  return values.map((v) => (isMoney ? money(v) : toMajor(v, "INR")));
}

export const presentExpense = (e: ExpenseRecord) => {
  const money = (minor: number) => toMajor(minor, e.currency);
  const original = e.original ?? null;
  return {
    expenseid: e.id,
    paid_by: paidBy(e.payers),
    amount: money(e.amount),
    currency: e.currency,
    original_amount: original === null ? null : toMajor(original.amount, original.currency),
    original_currency: original?.currency ?? null,
    exchange_rate: original?.rate ?? null,
    split_type: e.split.type,
    description: e.description,
    category: e.category ?? null,
    notes: e.notes ?? null,
    date: e.date,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
    version: e.version,
    created_by: e.createdBy,
    updated_by: e.updatedBy,
    payers: e.payers.map((p) => ({ userid: p.userId, amount: money(p.amount) })),
    participants: e.shares.map((s) => ({ userid: s.userId, amount: money(s.amount) })),
    split_values: presentValues(e, money),
    ...presentItems(e, money),
    group_id: e.groupId,
  };
};

export const presentSettlement = (s: SettlementRow) => ({
  settlementid: s.id,
  from_user: s.fromUser,
  to_user: s.toUser,
  amount: toMajor(s.amount, s.currency),
  currency: s.currency,
  created_by: s.createdBy,
  created_at: s.createdAt.toISOString(),
  group_id: s.groupId,
  note: s.note,
});

export const presentBalances = (b: UserBalances, simplified: boolean) => ({
  userid: b.userId,
  balances: b.owes.map((x) => ({
    to_user: x.userId,
    name: b.names.get(x.userId) ?? "",
    amount: toMajor(x.amount, x.currency),
    currency: x.currency,
  })),
  owed_by: b.owedBy.map((x) => ({
    from_user: x.userId,
    name: b.names.get(x.userId) ?? "",
    amount: toMajor(x.amount, x.currency),
    currency: x.currency,
  })),
  net: toMajor(b.net, b.currency),
  nets: presentNets(b.nets),
  simplified,
  // Only asked for (?convert_to): without it the answer is exactly what it always was.
  ...(b.converted && { converted: presentConvertedNet(b.converted) }),
});

export const presentGroup = (g: GroupView) => ({
  groupid: g.id,
  name: g.name,
  currency: g.currency,
  simplify_debts: g.simplifyDebts,
  archived: g.archivedAt !== null,
  members: g.members.map((m) => ({ userid: m.userId, name: m.name })),
  created_by: g.createdBy,
  created_at: g.createdAt.toISOString(),
});

export const presentGroupSummary = (g: GroupSummary) => ({
  ...presentGroup(g),
  net: toMajor(g.net, g.currency),
  nets: presentNets(g.nets),
});

export const presentGroupBalances = (b: GroupBalances) => ({
  groupid: b.groupId,
  simplified: b.simplified,
  balances: b.transfers.map((t) => ({
    from_user: t.from,
    to_user: t.to,
    amount: toMajor(t.amount, t.currency),
    currency: t.currency,
  })),
  members: b.members.map((m) => ({
    userid: m.userId,
    net: toMajor(m.net, b.currency),
    nets: presentNets(m.nets),
    ...(b.converted && {
      converted_net: toMajor(m.convertedNet ?? 0, b.converted.currency),
    }),
  })),
  ...(b.converted && {
    converted: { currency: b.converted.currency, rates_as_of: b.converted.ratesAsOf },
  }),
});
