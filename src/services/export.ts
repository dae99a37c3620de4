import type { ActivityRow } from "../db/repos/activity.js";
import {
  type ExportExpense,
  type ExportSettlement,
  groupActivity,
  groupHistory,
  historyOutsideGroups,
  peopleByIds,
  userActivity,
} from "../db/repos/export.js";
import { findGroupOfMember, listGroupsOfMember, membersOf } from "../db/repos/groups.js";
import { findUser } from "../db/repos/users.js";
import { NotFound } from "../domain/errors.js";
import { EVENLY_FORMAT_VERSION, writeEvenlyJson } from "../domain/interchange/evenly-json.js";
import type {
  InterchangeActivity,
  InterchangeExpense,
  InterchangeGroup,
  InterchangeSplit,
} from "../domain/interchange/model.js";
import { writeSplitwiseCsv } from "../domain/interchange/splitwise-write.js";
import { assertSelf } from "./access.js";
import type { AppContext } from "./context.js";

/**
 * Exports: a group (Splitwise CSV or Evenly JSON) to its current members, and everything of a user
 * (Evenly JSON) to that user. The JSON carries the ids and the activity log as well (what
 * `GET …/activity` shows the same reader); the CSV has no place for them.
 */

/** Each user's name in the file: their name, made unique with " (2)", " (3)"… in id order. */
function fileNames(people: { id: number; name: string }[]): Map<number, string> {
  const used = new Set<string>();
  const out = new Map<number, string>();
  for (const p of people) {
    let name = p.name;
    for (let n = 2; used.has(name); n++) name = `${p.name} (${n})`;
    used.add(name);
    out.set(p.id, name);
  }
  return out;
}

/** The split as entered, with item participants by their names in the file. */
function splitOf(e: ExportExpense, nameOf: (id: number) => string): InterchangeSplit {
  const { type, values, items, tax, tip } = e.split;
  return {
    type,
    values: type === "EQUAL" || type === "ITEMIZED" ? null : (values ?? null),
    items:
      type === "ITEMIZED"
        ? (items ?? []).map((i) => ({
            description: i.description,
            amount: i.amount,
            members: i.participants.map(nameOf),
          }))
        : null,
    tax: tax ?? 0,
    tip: tip ?? 0,
  };
}

/** The day a settlement was recorded, in the app's time zone (settlements have no date of their own). */
const dayOf = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone }).format(d);

/** An activity entry as the API presents it (routes/activity.ts), for the file. */
const activityOf = (a: ActivityRow): InterchangeActivity => ({
  id: a.id,
  kind: a.kind,
  actor: a.actor,
  at: a.at.toISOString(),
  expenseId: a.expenseId,
  settlementId: a.settlementId,
  groupId: a.groupId,
  changes: (a.changes ?? null) as InterchangeActivity["changes"],
});

async function modelOf(
  ctx: AppContext,
  name: string | null,
  currency: string,
  memberIds: number[],
  history: { expenses: ExportExpense[]; settlements: ExportSettlement[] },
  activity: ActivityRow[],
): Promise<InterchangeGroup> {
  const ids = new Set(memberIds);
  for (const e of history.expenses) for (const l of [...e.payers, ...e.shares]) ids.add(l.userId);
  for (const s of history.settlements) ids.add(s.fromUser).add(s.toUser);
  const people = await peopleByIds(ctx.db, [...ids]);
  const names = fileNames(people);
  const nameOf = (id: number) => names.get(id) as string;
  const expenses: InterchangeExpense[] = history.expenses.map((e) => ({
    id: e.id,
    date: e.date,
    description: e.description,
    category: e.category ?? null,
    note: e.notes ?? null,
    currency: e.currency,
    amount: e.amount,
    payers: e.payers.map((p) => ({ member: nameOf(p.userId), amount: p.amount })),
    shares: e.shares.map((s) => ({ member: nameOf(s.userId), amount: s.amount })),
    split: splitOf(e, nameOf),
    original: e.original ?? null,
  }));
  return {
    name,
    currency,
    members: people.map((p) => ({ name: nameOf(p.id), email: p.email, userId: p.id })),
    expenses,
    settlements: history.settlements.map((s) => ({
      id: s.id,
      date: dayOf(s.createdAt, ctx.config.APP_TIMEZONE),
      from: nameOf(s.fromUser),
      to: nameOf(s.toUser),
      amount: s.amount,
      currency: s.currency,
      note: s.note,
    })),
    activity: activity.map(activityOf),
  };
}

async function groupModel(
  ctx: AppContext,
  groupId: number,
  actor: number,
): Promise<InterchangeGroup> {
  const group = await findGroupOfMember(ctx.db, groupId, actor);
  if (!group) throw new NotFound("group", groupId);
  const members = (await membersOf(ctx.db, [groupId])).get(groupId) ?? [];
  return modelOf(
    ctx,
    group.name,
    group.currency,
    members.map((m) => m.userId),
    await groupHistory(ctx.db, groupId),
    await groupActivity(ctx.db, groupId),
  );
}

/** A safe download name: the group's name in lower-case ASCII letters, digits and dashes. */
export function exportFileName(groupId: number, name: string | null, ext: string): string {
  const slug = (name ?? "")
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `evenly-group-${groupId}${slug ? `-${slug}` : ""}.${ext}`;
}

export interface ExportFile {
  fileName: string;
  text: string;
}

/** The group in Splitwise's CSV layout (members only: 404 otherwise). */
export async function exportGroupCsv(
  ctx: AppContext,
  groupId: number,
  actor: number,
): Promise<ExportFile> {
  const g = await groupModel(ctx, groupId, actor);
  return { fileName: exportFileName(groupId, g.name, "csv"), text: writeSplitwiseCsv(g) };
}

/** The group as an Evenly JSON file (`format_version`), importable again losslessly. */
export async function exportGroupJson(
  ctx: AppContext,
  groupId: number,
  actor: number,
): Promise<ExportFile> {
  const g = await groupModel(ctx, groupId, actor);
  return { fileName: exportFileName(groupId, g.name, "json"), text: writeEvenlyJson(g) };
}

/**
 * Everything of the user (self only): their profile, each group they are in as an Evenly JSON
 * group file (with the group's activity), and their expenses and settlements outside groups as
 * one more, whose activity is the rest of theirs (no groupid, or a group they have left).
 */
export async function exportUserJson(
  ctx: AppContext,
  userId: number,
  actor: number,
): Promise<ExportFile> {
  assertSelf(actor, userId);
  const user = await findUser(ctx.db, userId);
  if (!user) throw new NotFound("user", userId);
  const groups = await listGroupsOfMember(ctx.db, userId, { limit: 100_000 });
  const members = await membersOf(
    ctx.db,
    groups.map((g) => g.id),
  );
  const activity = await userActivity(ctx.db, userId);
  const files = [];
  for (const g of [...groups].reverse()) {
    const ids = (members.get(g.id) ?? []).map((m) => m.userId);
    const history = await groupHistory(ctx.db, g.id);
    const log = activity.filter((a) => a.groupId === g.id);
    const model = await modelOf(ctx, g.name, g.currency, ids, history, log);
    files.push({ groupid: g.id, ...JSON.parse(writeEvenlyJson(model)) });
  }
  const listed = new Set(groups.map((g) => g.id));
  const rest = activity.filter((a) => a.groupId === null || !listed.has(a.groupId));
  const history = await historyOutsideGroups(ctx.db, userId);
  const outside = await modelOf(ctx, null, ctx.config.APP_CURRENCY, [userId], history, rest);
  const file = {
    format_version: EVENLY_FORMAT_VERSION,
    user: { userid: user.id, name: user.name, email: user.email },
    groups: files,
    outside_groups: JSON.parse(writeEvenlyJson(outside)),
  };
  return { fileName: `evenly-user-${userId}.json`, text: `${JSON.stringify(file, null, 2)}\n` };
}
