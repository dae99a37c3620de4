import { sql } from "drizzle-orm";
import type { Payment } from "../../domain/debts.js";
import type { Share } from "../../domain/split.js";
import { named, param, toDate } from "../named.js";
import {
  expensePayers,
  expenseShares,
  expenses,
  groupMembers,
  groups,
  settlements,
  users,
} from "../schema.js";
import type { Executor } from "../types.js";
import { knows } from "./knows.js";

/**
 * Everything one page of the activity feed names, in ONE statement whatever the number of
 * entries: the expenses and settlements (deleted ones too, as they stand now), the groups (theirs
 * and the entries') with whether the viewer is a current member, and the names of the people the
 * viewer knows among those asked for and the settlements' parties (THE relation of knows.ts).
 */

/** What the feed tells of an expense, and what the undo rule needs (access.ts). */
export interface FeedExpense {
  id: number;
  description: string;
  amount: number;
  currency: string;
  deletedAt: Date | null;
  groupId: number | null;
  createdBy: number | null;
  payers: Payment[];
  shares: Share[];
}

export interface FeedSettlement {
  id: number;
  fromUser: number;
  toUser: number;
  amount: number;
  currency: string;
  groupId: number | null;
  deletedAt: Date | null;
  note: string | null;
}

export interface FeedLookups {
  expenses: FeedExpense[];
  settlements: FeedSettlement[];
  /** `member`: the viewer is a current member. */
  groups: { id: number; name: string; member: boolean }[];
  names: Map<number, string>;
}

const feedLookupsStatement = named<{
  viewer: number;
  expense_ids: number[];
  settlement_ids: number[];
  group_ids: number[];
  people: number[];
}>(
  "activity_feed_lookups",
  sql`with
    e as (select * from ${expenses} where id = any(${param("expense_ids")}::int[])),
    s as (select * from ${settlements} where id = any(${param("settlement_ids")}::int[])),
    g as (
      select g.id, g.name, exists (select 1 from ${groupMembers} m
          where m.group_id = g.id and m.user_id = ${param("viewer")}::int and m.removed_at is null
        ) as member
      from ${groups} g
      where g.id = any(${param("group_ids")}::int[])
         or g.id in (select group_id from e) or g.id in (select group_id from s)),
    n as (
      select u.id, u.name from ${users} u
      where (u.id = any(${param("people")}::int[])
             or u.id in (select from_user from s) or u.id in (select to_user from s))
        and ${knows(sql`${param("viewer")}::int`, sql`u.id`)})
    select
      (select coalesce(jsonb_agg(jsonb_build_object(
          'id', e.id, 'description', e.description, 'amount', e.amount_paise,
          'currency', e.currency, 'deleted_at', e.deleted_at, 'group_id', e.group_id,
          'created_by', e.created_by,
          'payers', (select coalesce(jsonb_agg(jsonb_build_array(p.user_id, p.amount_paise)
                       order by p.user_id), '[]') from ${expensePayers} p where p.expense_id = e.id),
          'shares', (select coalesce(jsonb_agg(jsonb_build_array(x.user_id, x.amount_paise)
                       order by x.position), '[]') from ${expenseShares} x where x.expense_id = e.id))
        ), '[]') from e) as expenses,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'id', s.id, 'from_user', s.from_user, 'to_user', s.to_user, 'amount', s.amount_paise,
          'currency', s.currency, 'group_id', s.group_id, 'deleted_at', s.deleted_at,
          'note', s.note)
        ), '[]') from s) as settlements,
      (select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name, 'member', g.member)),
        '[]') from g) as groups,
      (select coalesce(jsonb_agg(jsonb_build_array(n.id, n.name)), '[]') from n) as names`,
);

type Json = Record<string, unknown>;
/** jsonb arrives parsed from the server (node-postgres) and as text from some drivers. */
const parsed = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;
const idOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
/** `[[user, paise], …]` → payments or shares. */
const lines = (v: unknown): { userId: number; amount: number }[] =>
  parsed<[number, number][]>(v).map(([u, a]) => ({ userId: Number(u), amount: Number(a) }));

export async function feedLookups(
  db: Executor,
  viewer: number,
  ids: { expenses: number[]; settlements: number[]; groups: number[]; people: number[] },
): Promise<FeedLookups> {
  const [row] = await feedLookupsStatement.run(db, {
    viewer,
    expense_ids: ids.expenses,
    settlement_ids: ids.settlements,
    group_ids: ids.groups,
    people: ids.people,
  });
  if (!row) throw new Error("feed lookups returned no row");
  return {
    expenses: parsed<Json[]>(row.expenses).map((e) => ({
      id: Number(e.id),
      description: String(e.description),
      amount: Number(e.amount),
      currency: String(e.currency),
      deletedAt: toDate(e.deleted_at),
      groupId: idOrNull(e.group_id),
      createdBy: idOrNull(e.created_by),
      payers: lines(e.payers),
      shares: lines(e.shares),
    })),
    settlements: parsed<Json[]>(row.settlements).map((s) => ({
      id: Number(s.id),
      fromUser: Number(s.from_user),
      toUser: Number(s.to_user),
      amount: Number(s.amount),
      currency: String(s.currency),
      groupId: idOrNull(s.group_id),
      deletedAt: toDate(s.deleted_at),
      note: typeof s.note === "string" ? s.note : null,
    })),
    groups: parsed<Json[]>(row.groups).map((g) => ({
      id: Number(g.id),
      name: String(g.name),
      member: g.member === true,
    })),
    names: new Map(parsed<[number, string][]>(row.names).map(([id, name]) => [Number(id), name])),
  };
}
