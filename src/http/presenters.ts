import type { ExpenseRecord } from "../db/repos/expenses.js";
import type { SettlementRow } from "../db/repos/settlements.js";
import type { UserRow } from "../db/repos/users.js";
import { toAmountNumber } from "../domain/money.js";
import { paidBy } from "../domain/payers.js";
import type { UserBalances } from "../services/balances.js";
import type { GroupBalances } from "../services/group-balances.js";
import type { GroupSummary, GroupView } from "../services/groups.js";

/** Internal records → API shapes (paise become 2-decimal numbers only here). */

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
function presentItems(e: ExpenseRecord) {
  if (e.split.type !== "ITEMIZED") return { items: null, tax: null, tip: null };
  return {
    items: (e.split.items ?? []).map((i) => ({
      description: i.description,
      amount: toAmountNumber(i.amount),
      participants: i.participants,
    })),
    tax: toAmountNumber(e.split.tax ?? 0),
    tip: toAmountNumber(e.split.tip ?? 0),
  };
}

export const presentExpense = (e: ExpenseRecord) => ({
  expenseid: e.id,
  paid_by: paidBy(e.payers),
  amount: toAmountNumber(e.amount),
  currency: e.currency,
  split_type: e.split.type,
  description: e.description,
  date: e.date,
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
  version: e.version,
  created_by: e.createdBy,
  updated_by: e.updatedBy,
  payers: e.payers.map((p) => ({ userid: p.userId, amount: toAmountNumber(p.amount) })),
  participants: e.shares.map((s) => ({ userid: s.userId, amount: toAmountNumber(s.amount) })),
  split_values: e.split.values ? e.split.values.map(toAmountNumber) : null,
  ...presentItems(e),
  group_id: e.groupId,
});

export const presentSettlement = (s: SettlementRow) => ({
  settlementid: s.id,
  from_user: s.fromUser,
  to_user: s.toUser,
  amount: toAmountNumber(s.amount),
  currency: s.currency,
  created_by: s.createdBy,
  created_at: s.createdAt.toISOString(),
  group_id: s.groupId,
});

export const presentBalances = (b: UserBalances, simplified: boolean) => ({
  userid: b.userId,
  balances: b.owes.map((x) => ({
    to_user: x.userId,
    name: b.names.get(x.userId) ?? "",
    amount: toAmountNumber(x.amount),
  })),
  owed_by: b.owedBy.map((x) => ({
    from_user: x.userId,
    name: b.names.get(x.userId) ?? "",
    amount: toAmountNumber(x.amount),
  })),
  net: toAmountNumber(b.net),
  simplified,
});

export const presentGroup = (g: GroupView) => ({
  groupid: g.id,
  name: g.name,
  simplify_debts: g.simplifyDebts,
  archived: g.archivedAt !== null,
  members: g.members.map((m) => ({ userid: m.userId, name: m.name })),
  created_by: g.createdBy,
  created_at: g.createdAt.toISOString(),
});

export const presentGroupSummary = (g: GroupSummary) => ({
  ...presentGroup(g),
  net: toAmountNumber(g.net),
});

export const presentGroupBalances = (b: GroupBalances) => ({
  groupid: b.groupId,
  simplified: b.simplified,
  balances: b.transfers.map((t) => ({
    from_user: t.from,
    to_user: t.to,
    amount: toAmountNumber(t.amount),
  })),
  members: b.members.map((m) => ({ userid: m.userId, net: toAmountNumber(m.net) })),
});
