import type { Executor } from "../db/client.js";
import { befriend } from "../db/repos/friendships.js";
import { findUserByEmail, takenEmails } from "../db/repos/users.js";
import { type FieldIssue, RuleViolation } from "../domain/errors.js";
import { unknownMappedNames, unmappedMembers } from "../domain/interchange/members.js";
import {
  type InterchangeGroup,
  listedIssues,
  MAX_LISTED_ISSUES,
} from "../domain/interchange/model.js";
import { inviteUserIn } from "./accounts.js";
import type { AppContext } from "./context.js";
import { lockActiveUsers } from "./involved-users.js";

/** Who the file's member names are, for POST /groups/import (services/import.ts). */

/** A member of the file: a user the importer knows, or someone to invite (or befriend) by email. */
export type MemberTarget = number | { name: string; email: string };

/**
 * The importer's allowance of invitations (a rate limit the HTTP layer keeps, shared with
 * POST /friends): `reserve(n)` counts n invitations, or throws RateLimited (429) counting none;
 * the function it returns gives them back when the import wrote nothing after all.
 */
export interface InviteAllowance {
  reserve(count: number): Promise<() => Promise<void>>;
}

/** The file's names mapped to `{name, email}` of someone without an account: who would be invited. */
async function newInvitees(db: Executor, members: Record<string, MemberTarget>): Promise<string[]> {
  const byEmail = Object.entries(members).flatMap(([name, t]) =>
    typeof t === "number" ? [] : [{ name, email: t.email.trim().toLowerCase() }],
  );
  const taken = await takenEmails(
    db,
    byEmail.map((m) => m.email),
  );
  return byEmail.filter((m) => !taken.has(m.email)).map((m) => m.name);
}

/**
 * Who the import would invite; 422 when that is more than IMPORT_MAX_INVITES people (or than
 * one window's INVITE_RATE_LIMIT, which no wait could let through).
 */
export async function inviteesWithinCap(
  ctx: AppContext,
  members: Record<string, MemberTarget>,
): Promise<string[]> {
  const invitees = await newInvitees(ctx.db, members);
  const max = Math.min(ctx.config.IMPORT_MAX_INVITES, ctx.config.INVITE_RATE_LIMIT);
  if (invitees.length <= max) return invitees;
  throw new RuleViolation(
    `This import would invite ${invitees.length} people who have no account; one import may invite at most ${max}`,
    [
      {
        field: "members",
        message: `would invite ${invitees.length} new people (${invitees.join(", ")}); one import may invite at most ${max}: choose people you know for some of them`,
      },
    ],
  );
}

/** 422 for file names without a target, mapped names the file lacks, and one user for two names. */
export function assertMapping(g: InterchangeGroup, members: Record<string, MemberTarget>): void {
  const issues: FieldIssue[] = [
    ...unmappedMembers(g, members).map((n) => ({
      field: `members.${n}`,
      message: "is a member of the file: map them to a user id or {name, email}",
    })),
    ...unknownMappedNames(g, members).map((n) => ({
      field: `members.${n}`,
      message: "names nobody in the file",
    })),
  ];
  const seen = new Map<string, string>();
  for (const [name, target] of Object.entries(members)) {
    const key = typeof target === "number" ? `id:${target}` : `email:${target.email.toLowerCase()}`;
    const other = seen.get(key);
    if (other !== undefined)
      issues.push({ field: `members.${name}`, message: `is the same person as ${other}` });
    seen.set(key, name);
  }
  if (issues.length > 0) {
    const unmapped = unmappedMembers(g, members);
    const more = unmapped.length - MAX_LISTED_ISSUES;
    const names = `${unmapped.slice(0, MAX_LISTED_ISSUES).join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
    throw new RuleViolation(
      unmapped.length > 0
        ? `Map every member of the file: ${names}`
        : "The member mapping is not valid",
      listedIssues(issues),
    );
  }
}

/**
 * Users for the file's names: known ids checked and share-locked; emails invited or befriended
 * (`write`), or only looked up (a dry run: the account's id, null for whom it would invite). Two names that turn out to be one person
 * (an id, and that user's email) are refused like two equal ids: one user cannot be two columns.
 */
export async function resolveMembers(
  tx: Executor,
  actor: number,
  members: Record<string, MemberTarget>,
  write: boolean,
): Promise<{ ids: Map<string, number | null>; invited: boolean }> {
  const fields = new Map<number, string>();
  for (const [name, t] of Object.entries(members))
    if (typeof t === "number") fields.set(t, `members.${name}`);
  await lockActiveUsers(tx, actor, fields);
  const ids = new Map<string, number | null>();
  const nameOf = new Map<number, string>();
  const issues: FieldIssue[] = [];
  /** Remembers who `name` is; true (and an issue) when another name already is them. */
  const same = (name: string, userId: number) => {
    const other = nameOf.get(userId);
    if (other !== undefined)
      issues.push({ field: `members.${name}`, message: `is the same person as ${other}` });
    nameOf.set(userId, name);
    return other !== undefined;
  };
  let invited = false;
  for (const [name, t] of Object.entries(members)) {
    if (typeof t === "number") {
      same(name, t);
      ids.set(name, t);
      continue;
    }
    const existing = await findUserByEmail(tx, t.email.trim());
    if (existing?.deactivatedAt)
      throw new RuleViolation("No active user has this email", [
        { field: `members.${name}.email`, message: "no active user has this email" },
      ]);
    if (existing && same(name, existing.id)) continue;
    // A dry run befriends nobody but names who would be (GET /users?email= says as much).
    if (!write) ids.set(name, existing?.id ?? null);
    else if (existing) {
      if (existing.id !== actor) await befriend(tx, actor, existing.id);
      ids.set(name, existing.id);
    } else {
      const user = await inviteUserIn(
        tx,
        { name: t.name, email: t.email.trim(), mobileNumber: null },
        actor,
      );
      ids.set(name, user.id);
      invited = true;
    }
  }
  if (issues.length > 0) throw new RuleViolation("The member mapping is not valid", issues);
  return { ids, invited };
}
