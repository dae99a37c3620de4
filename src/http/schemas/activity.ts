import { z } from "zod";
import { ACTIVITY_KINDS } from "../../domain/activity.js";
import { CursorQuery, Id, limitQuery } from "./common.js";

export const ActivityEntry = z
  .object({
    activityid: Id,
    kind: z.enum(ACTIVITY_KINDS),
    actor: Id.describe("Who made the change"),
    at: z.string().describe("When (ISO 8601)"),
    expenseid: Id.nullable(),
    settlementid: Id.nullable(),
    groupid: Id.nullable(),
    changes: z
      .record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
      .nullable()
      .describe(
        "For expense.updated and group.updated: `{field: {from, to}}` for each field that changed (money as decimal strings); for member changes `{member: {from, to}}`; null otherwise",
      ),
  })
  .meta({ id: "ActivityEntry" });

export const ActivityListQuery = z.object({ cursor: CursorQuery, limit: limitQuery(50, 200) });
export const ActivityList = z
  .object({ items: z.array(ActivityEntry), next_cursor: z.string().nullable() })
  .meta({ id: "ActivityList" });
