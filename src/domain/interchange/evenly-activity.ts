/**
 * The `activity` of an Evenly JSON export: the group's (or user's) history of changes, each entry
 * exactly as `GET …/activity` presents it, naming people, expenses and settlements by id (the
 * file's members carry their `userid`, its expenses and settlements their `id`).
 */
import { z } from "zod";
import { ACTIVITY_KINDS } from "../activity.js";
import type { InterchangeActivity } from "./model.js";

const RowId = z.number().int().positive();

export const FileActivity = z.strictObject({
  activityid: RowId,
  kind: z.enum(ACTIVITY_KINDS),
  actor: RowId,
  at: z.iso.datetime({ offset: true }),
  expenseid: RowId.nullable(),
  settlementid: RowId.nullable(),
  groupid: RowId.nullable(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
});
export type FileActivity = z.infer<typeof FileActivity>;

export function writeActivity(a: InterchangeActivity): FileActivity {
  return {
    activityid: a.id,
    kind: a.kind as FileActivity["kind"],
    actor: a.actor,
    at: a.at,
    expenseid: a.expenseId,
    settlementid: a.settlementId,
    groupid: a.groupId,
    changes: a.changes,
  };
}

export function readActivity(a: FileActivity): InterchangeActivity {
  return {
    id: a.activityid,
    kind: a.kind,
    actor: a.actor,
    at: a.at,
    expenseId: a.expenseid,
    settlementId: a.settlementid,
    groupId: a.groupid,
    changes: (a.changes ?? null) as InterchangeActivity["changes"],
  };
}
