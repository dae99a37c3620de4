import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { ACTIVITY_KINDS } from "../../domain/activity.js";
import { named, param } from "../named.js";
import { activity, activitySubjects } from "../schema.js";
import type { Executor } from "../types.js";

export type ActivityRow = typeof activity.$inferSelect;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface NewActivity {
  kind: ActivityKind;
  actor: number;
  expenseId?: number | null;
  settlementId?: number | null;
  groupId?: number | null;
  changes?: Record<string, { from: unknown; to: unknown }> | null;
  /** Whom it is about (the actor is added): its rows in activity_subjects. */
  subjects: number[];
}

/** What the activity insert binds, by parameter name: the subjects include the actor, once. */
export function activityValues(a: NewActivity) {
  return {
    kind: a.kind,
    actor: a.actor,
    expense: a.expenseId ?? null,
    settlement: a.settlementId ?? null,
    group: a.groupId ?? null,
    changes: a.changes ? JSON.stringify(a.changes) : null,
    subjects: [...new Set([a.actor, ...a.subjects])],
  };
}
export type ActivityValues = ReturnType<typeof activityValues>;

/**
 * The activity insert, written once for activity_write and activity_and_outbox_write (parameters
 * as activityValues names them): the entry, which the statement names `entry` in its WITH, then
 * its subjects, who take the entry's new id from there.
 */
export const activityInsert = {
  entry: sql`insert into ${activity} (kind, actor, expense_id, settlement_id, group_id, changes)
      values (${param("kind")}, ${param("actor")}::int, ${param("expense")}::int,
              ${param("settlement")}::int, ${param("group")}::int, ${param("changes")}::jsonb)
      returning id`,
  subjects: sql`insert into ${activitySubjects} (user_id, activity_id)
      select u, entry.id from entry cross join unnest(${param("subjects")}::int[]) as v(u)`,
};

const insertActivity = named<ActivityValues>(
  "activity_write",
  sql`with entry as (${activityInsert.entry}) ${activityInsert.subjects}`,
);

/**
 * Writes one entry and its subjects in ONE statement (a data-modifying CTE), whatever the number
 * of people: the caller's transaction makes it part of the change it records.
 */
export async function writeActivity(db: Executor, a: NewActivity): Promise<void> {
  await insertActivity.run(db, activityValues(a));
}

const takeActivityIds = named<{ n: number }>(
  "activity_take_ids",
  sql`select nextval(pg_get_serial_sequence('activity', 'id'))::int as id
    from generate_series(1, ${param("n")}::int)`,
);

const insertEntries = named<{
  ids: number[];
  kind: string[];
  actor: number[];
  expense: (number | null)[];
  settlement: (number | null)[];
  group: (number | null)[];
  changes: (string | null)[];
}>(
  "activity_insert_many",
  sql`insert into ${activity} (id, kind, actor, expense_id, settlement_id, group_id, changes)
    overriding system value
    select id, k, a, e, s, g, c::jsonb
    from unnest(${param("ids")}::int[], ${param("kind")}::text[], ${param("actor")}::int[],
                ${param("expense")}::int[], ${param("settlement")}::int[], ${param("group")}::int[],
                ${param("changes")}::text[]) as x(id, k, a, e, s, g, c)`,
);

const insertSubjects = named<{ user: number[]; entry: number[] }>(
  "activity_subjects_insert_many",
  sql`insert into ${activitySubjects} (user_id, activity_id)
    select * from unnest(${param("user")}::int[], ${param("entry")}::int[])`,
);

/**
 * Many entries at once (an import's thousands), in the given order (ids ascending, so the last
 * is the newest): three statements whatever the number, their texts the same for 1 or 10,000
 * entries. Ids are taken from the identity sequence first so the subjects can name their entry.
 */
export async function writeActivities(db: Executor, list: NewActivity[]): Promise<void> {
  if (list.length === 0) return;
  const ids = (await takeActivityIds.run(db, { n: list.length })).map((r) => Number(r.id));
  await insertEntries.run(db, {
    ids,
    kind: list.map((a) => a.kind),
    actor: list.map((a) => a.actor),
    expense: list.map((a) => a.expenseId ?? null),
    settlement: list.map((a) => a.settlementId ?? null),
    group: list.map((a) => a.groupId ?? null),
    changes: list.map((a) => (a.changes ? JSON.stringify(a.changes) : null)),
  });
  const subjects = { user: [] as number[], entry: [] as number[] };
  list.forEach((a, i) => {
    for (const u of new Set([a.actor, ...a.subjects])) {
      subjects.user.push(u);
      subjects.entry.push(ids[i] as number);
    }
  });
  await insertSubjects.run(db, subjects);
}

function toRow(r: Record<string, unknown>): ActivityRow {
  return {
    id: Number(r.id),
    kind: String(r.kind),
    actor: Number(r.actor),
    at: r.at instanceof Date ? r.at : new Date(String(r.at)),
    expenseId: r.expense_id == null ? null : Number(r.expense_id),
    settlementId: r.settlement_id == null ? null : Number(r.settlement_id),
    groupId: r.group_id == null ? null : Number(r.group_id),
    changes: typeof r.changes === "string" ? JSON.parse(r.changes) : (r.changes ?? null),
  };
}

/**
 * A user's activity, newest first, keyset-paginated by id: entries about them (activity_subjects,
 * one index range) and entries of the groups they are a current member of (activity_group_idx),
 * each side limited before they are merged. One statement.
 */
export async function listActivityOfUser(
  db: Executor,
  userId: number,
  opts: { limit: number; beforeId?: number | undefined },
): Promise<ActivityRow[]> {
  const before = opts.beforeId ?? 2_147_483_647;
  const r = (await db.execute(sql`
    select a.* from activity a where a.id in (
      (select s.activity_id from activity_subjects s
        where s.user_id = ${userId} and s.activity_id < ${before}
        order by s.activity_id desc limit ${opts.limit})
      union
      (select g.id from activity g
        where g.group_id in (select m.group_id from group_members m
                             where m.user_id = ${userId} and m.removed_at is null)
          and g.id < ${before}
        order by g.id desc limit ${opts.limit})
    )
    order by a.id desc limit ${opts.limit}`)) as unknown as { rows: Record<string, unknown>[] };
  return r.rows.map(toRow);
}

/** A group's activity, newest first, keyset-paginated by id (one index range). */
export async function listActivityOfGroup(
  db: Executor,
  groupId: number,
  opts: { limit: number; beforeId?: number | undefined },
): Promise<ActivityRow[]> {
  const inGroup = eq(activity.groupId, groupId);
  const where = opts.beforeId ? and(inGroup, lt(activity.id, opts.beforeId)) : inGroup;
  return db.select().from(activity).where(where).orderBy(desc(activity.id)).limit(opts.limit);
}
