import { createHash } from "node:crypto";
import type { Executor } from "../db/client.js";
import { applyDeltas } from "../db/repos/balances.js";
import { applyGroupDeltas, groupNonZeroPairs } from "../db/repos/group-balances.js";
import { addMembers, insertGroup } from "../db/repos/groups.js";
import {
  hasImported,
  type ImportedExpense,
  insertExpensesOfGroup,
  insertSettlementsOfGroup,
  lockImportsOf,
  recordImport,
} from "../db/repos/import.js";
import { inTransaction } from "../db/transaction.js";
import {
  expenseDeltas,
  inCurrency,
  type LedgerDelta,
  mergeLedgerDeltas,
  settlementDeltas,
} from "../domain/debts.js";
import { Conflict, type FieldIssue, RuleViolation } from "../domain/errors.js";
import { describeGroup } from "../domain/interchange/check.js";
import { readEvenlyJson } from "../domain/interchange/evenly-json.js";
import { type ImportResult, type InterchangeGroup, netList } from "../domain/interchange/model.js";
import { readSpliitJson } from "../domain/interchange/spliit-read.js";
import { readSplitwiseCsv } from "../domain/interchange/splitwise-read.js";
import { isSingleLine } from "../domain/text.js";
import { logAll } from "./activity.js";
import type { AppContext } from "./context.js";
import { importActivity } from "./import-activity.js";
import { keptNote, keptText, ledgerSplit, problemsOf } from "./import-fit.js";
import {
  assertMapping,
  type InviteAllowance,
  inviteesWithinCap,
  type MemberTarget,
  resolveMembers,
} from "./import-members.js";

/**
 * POST /groups/import: a whole group's history from a Splitwise CSV, a Spliit JSON or an Evenly
 * JSON export, all or nothing, reproducing the file's balances exactly, per currency. Every
 * expense and settlement keeps the file's currency (and an expense booked at a rate its original
 * amount, currency and rate); the group takes the file's currency.
 */
export const IMPORT_FORMATS = ["splitwise-csv", "spliit-json", "evenly-json"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export type { InviteAllowance, MemberTarget };

const DEFAULT_GROUP_NAME = "Imported group";
const MAX_GROUP_NAME = 100;

/** The imported group's name (the wizard's first step asks this too): one line, ≤ 100 characters. */
export const groupNameIssue = (name: string): FieldIssue | null =>
  [...name].length > MAX_GROUP_NAME || !isSingleLine(name)
    ? { field: "name", message: `must be one line of at most ${MAX_GROUP_NAME} characters` }
    : null;

export interface ImportInput {
  format: ImportFormat;
  data: string;
  name?: string | undefined;
  members: Record<string, MemberTarget>;
  dry_run?: boolean | undefined;
  allow_duplicate?: boolean | undefined;
}

export interface ImportOutcome {
  groupId: number | null;
  dryRun: boolean;
  group: { name: string; currency: string };
  members: { name: string; userId: number | null; email: string | null }[];
  expenses: number;
  settlements: number;
  nets: { name: string; userId: number | null; currency: string; amount: number }[];
  problems: string[];
}

/**
 * `currency`: what a file that names no group currency falls back to (APP_CURRENCY); `maxRows`
 * (IMPORT_MAX_ROWS): more expenses and settlements → 422 before they are read, as reading is
 * synchronous and would hold up every other request of the process.
 */
function read(
  format: ImportFormat,
  data: string,
  options: { currency: string; maxRows: number },
): ImportResult {
  if (format === "splitwise-csv") return readSplitwiseCsv(data, options);
  if (format === "spliit-json") return readSpliitJson(data, options);
  return readEvenlyJson(data, { maxRows: options.maxRows });
}

/**
 * Each user's net in the group per currency from its pair balances (what they are owed minus
 * what they owe), keyed `currency:userid`.
 */
function netsOfPairs(pairs: LedgerDelta[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (currency: string, user: number, amount: number) => {
    const key = `${currency}:${user}`;
    out.set(key, (out.get(key) ?? 0) + amount);
  };
  for (const p of pairs) {
    add(p.currency, p.userA, -p.aOwesB);
    add(p.currency, p.userB, p.aOwesB);
  }
  return out;
}

async function writeGroup(
  tx: Executor,
  actor: number,
  name: string,
  format: ImportFormat,
  g: InterchangeGroup,
  ids: Map<string, number | null>,
): Promise<number> {
  const idOf = (member: string) => ids.get(member) as number;
  const group = await insertGroup(tx, {
    name,
    simplifyDebts: true,
    createdBy: actor,
    currency: g.currency,
  });
  const memberIds = g.members.map((m) => idOf(m.name));
  await addMembers(tx, group.id, [actor, ...memberIds], actor);
  const deltas: LedgerDelta[][] = [];
  const list: ImportedExpense[] = g.expenses.map((e) => {
    const split = ledgerSplit(e);
    const payers = e.payers.map((p) => ({ userId: idOf(p.member), amount: p.amount }));
    const shares = e.shares.map((s, i) => ({
      userId: idOf(s.member),
      amount: s.amount,
      splitValue: split.values[i] ?? null,
    }));
    deltas.push(inCurrency(expenseDeltas(payers, shares), e.currency));
    return {
      description: e.description,
      ...keptText(e),
      amount: e.amount,
      currency: e.currency,
      original: e.original,
      splitType: split.type,
      date: e.date,
      payers,
      shares,
    };
  });
  const settlements = g.settlements.map((s) => {
    const row = {
      fromUser: idOf(s.from),
      toUser: idOf(s.to),
      amount: s.amount,
      currency: s.currency,
      note: keptNote(s),
    };
    deltas.push(inCurrency(settlementDeltas(row.fromUser, row.toUser, row.amount), row.currency));
    return row;
  });
  const expenseIds = await insertExpensesOfGroup(tx, group.id, actor, list);
  const settlementIds = await insertSettlementsOfGroup(tx, group.id, actor, settlements);
  const entries = { members: memberIds, expenses: list, expenseIds, settlements, settlementIds };
  await logAll(tx, importActivity(actor, group.id, format, entries));
  // One sorted multi-row upsert per table, as the services write balances.
  const merged = mergeLedgerDeltas(...deltas);
  await applyDeltas(tx, merged);
  await applyGroupDeltas(tx, group.id, merged);
  return group.id;
}

/** 422 (rolling everything back) unless the group's balances are the file's, to the paisa. */
async function assertNetsReproduced(
  tx: Executor,
  groupId: number,
  nets: ImportOutcome["nets"],
): Promise<void> {
  const got = netsOfPairs(await groupNonZeroPairs(tx, groupId));
  const netOf = (n: ImportOutcome["nets"][number]) => got.get(`${n.currency}:${n.userId}`) ?? 0;
  const issues = nets
    .filter((n) => netOf(n) !== n.amount)
    .map((n) => ({
      field: `members.${n.name}`,
      message: `would have a net of ${netOf(n)} minor units of ${n.currency} instead of the file's ${n.amount}`,
    }));
  if (issues.length > 0)
    throw new RuleViolation("The imported balances would differ from the file's", issues);
}

const duplicate = () =>
  new Conflict(
    "You have imported this file before; send allow_duplicate: true to import it again",
    [{ field: "data", message: "was imported before" }],
  );

/** The checks before the member mapping, in the import's order: 409 for a duplicate, then 422s. */
async function readChecked(
  ctx: AppContext,
  input: Pick<ImportInput, "format" | "data" | "allow_duplicate">,
  actor: number,
): Promise<ImportResult & { sha256: string }> {
  const sha256 = createHash("sha256").update(input.data, "utf8").digest("hex");
  if (!input.allow_duplicate && (await hasImported(ctx.db, actor, sha256))) throw duplicate();
  const { group: g, problems } = read(input.format, input.data, {
    currency: ctx.config.APP_CURRENCY,
    maxRows: ctx.config.IMPORT_MAX_ROWS,
  });
  const issues = describeGroup(g);
  if (issues.length > 0) throw new RuleViolation("The file cannot be imported", issues);
  return { group: g, problems, sha256 };
}

/**
 * The people of a file, for the import page's mapping step: the file's member names (with the
 * email it gives, if any) and its group name, after the same checks as an import up to the
 * mapping. Writes nothing.
 */
export async function membersOfFile(
  ctx: AppContext,
  input: Pick<ImportInput, "format" | "data" | "allow_duplicate">,
  actor: number,
): Promise<{ name: string | null; members: { name: string; email: string | null }[] }> {
  const { group } = await readChecked(ctx, input, actor);
  return {
    name: group.name,
    members: group.members.map((m) => ({ name: m.name, email: m.email })),
  };
}

/**
 * The import. `invites` is the importer's invitation allowance (rate limit): each person the
 * import invites counts as one invitation, as through POST /friends; over it → 429 and nothing
 * written. A dry run checks the cap on invitations per import but counts none.
 */
export async function importGroup(
  ctx: AppContext,
  input: ImportInput,
  actor: number,
  invites: InviteAllowance,
): Promise<ImportOutcome> {
  const { group: g, problems: readProblems, sha256 } = await readChecked(ctx, input, actor);
  assertMapping(g, input.members);
  const name = (input.name ?? g.name ?? DEFAULT_GROUP_NAME).trim() || DEFAULT_GROUP_NAME;
  const nameIssue = groupNameIssue(name);
  if (nameIssue)
    throw new RuleViolation("The group name is not valid: give one with `name`", [nameIssue]);
  const dryRun = input.dry_run === true;
  const invitees = await inviteesWithinCap(ctx, input.members);
  const outcome = (groupId: number | null, ids: Map<string, number | null>): ImportOutcome => ({
    groupId,
    dryRun,
    group: { name, currency: g.currency },
    members: g.members.map((m) => {
      const t = input.members[m.name];
      return {
        name: m.name,
        userId: ids.get(m.name) ?? null,
        email: typeof t === "object" ? t.email.trim() : null,
      };
    }),
    expenses: g.expenses.length,
    settlements: g.settlements.length,
    nets: netList(g).map((n) => ({ ...n, userId: ids.get(n.name) ?? null })),
    problems: problemsOf(g, readProblems),
  });
  if (dryRun) {
    // Checks the mapping as the import would, and writes nothing (read locks only).
    const { ids } = await inTransaction(ctx.db, (tx) =>
      resolveMembers(tx, actor, input.members, false),
    );
    return outcome(null, ids);
  }
  // 429 (nothing written) when they do not fit; given back if the import fails after all.
  const giveBack = await invites.reserve(invitees.length);
  let invited = false;
  const result = await inTransaction(
    ctx.db,
    async (tx) => {
      // The same file sent twice at once: the second waits here, then finds the first's row.
      if (!input.allow_duplicate) {
        await lockImportsOf(tx, actor, sha256);
        if (await hasImported(tx, actor, sha256)) throw duplicate();
      }
      const resolved = await resolveMembers(tx, actor, input.members, true);
      invited = resolved.invited;
      const groupId = await writeGroup(tx, actor, name, input.format, g, resolved.ids);
      const done = outcome(groupId, resolved.ids);
      await assertNetsReproduced(tx, groupId, done.nets);
      await recordImport(tx, { userId: actor, sha256, format: input.format, groupId });
      return done;
    },
    ctx.config.TX_MAX_RETRIES,
  ).catch(async (err: unknown) => {
    await giveBack(); // nothing was written: nobody was invited
    throw err;
  });
  if (invited) ctx.outboxWritten?.();
  return result;
}
