import type { NewActivity } from "../db/repos/activity.js";
import type { ImportedExpense } from "../db/repos/import.js";
import { expenseEntry, groupEntry, settlementEntry } from "./activity.js";

/**
 * The history an import starts its group with, as creating each thing by hand would have
 * written it (POST /groups, POST /expenses, POST /settlements), the importer as the actor:
 * `group.created` (its members as subjects, as POST /groups records them, and
 * `{imported_from: {from: null, to: "<format>"}}`), then one `expense.created` per expense and
 * one `settlement.created` per settlement, in the file's order (the last one is the newest).
 */
export function importActivity(
  actor: number,
  groupId: number,
  format: string,
  imported: {
    /** The file's people (the importer is added as the actor). */
    members: number[];
    expenses: ImportedExpense[];
    expenseIds: number[];
    settlements: { fromUser: number; toUser: number }[];
    settlementIds: number[];
  },
): NewActivity[] {
  const { members, expenses, expenseIds, settlements, settlementIds } = imported;
  return [
    groupEntry("group.created", actor, groupId, {
      changes: { imported_from: { from: null, to: format } },
      subjects: members,
    }),
    ...expenses.map((e, i) =>
      expenseEntry("expense.created", actor, {
        id: expenseIds[i] as number,
        description: e.description,
        amount: e.amount,
        currency: e.currency,
        split: { type: e.splitType },
        date: e.date,
        groupId,
        payers: e.payers,
        shares: e.shares,
      }),
    ),
    ...settlements.map((s, i) =>
      settlementEntry("settlement.created", actor, {
        id: settlementIds[i] as number,
        fromUser: s.fromUser,
        toUser: s.toUser,
        groupId,
      }),
    ),
  ];
}
