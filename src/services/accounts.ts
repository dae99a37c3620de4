import { randomUUID } from "node:crypto";
import { hashPassword, verifyPassword } from "../auth/password-hash.js";
import type { Executor } from "../db/client.js";
import { pgConstraint, pgErrorCode } from "../db/errors.js";
import { consumeAccountLink, peekAccountLink } from "../db/repos/account-links.js";
import { befriend } from "../db/repos/friendships.js";
import { writeOutbox } from "../db/repos/outbox.js";
import { deleteUserSessions } from "../db/repos/sessions.js";
import {
  findUser,
  findUserByEmail,
  insertUser,
  setPasswordHash,
  type UserRow,
  updateProfile,
} from "../db/repos/users.js";
import { inTransaction } from "../db/transaction.js";
import { Conflict, RuleViolation, Unauthenticated } from "../domain/errors.js";
import { passwordIssues } from "../domain/password-policy.js";
import { hashSecretToken } from "../lib/secret-token.js";
import { MESSAGE_VERSION, type NotificationMessage } from "../notifications/message.js";
import type { AppContext } from "./context.js";

export interface NewUser {
  name: string;
  email: string;
  /** Null when invited by email only (POST /friends): they add it when they claim. */
  mobileNumber: string | null;
}

function checkPassword(password: string, u: { email: string; name: string }, field = "password") {
  const issues = passwordIssues(password, u, field);
  if (issues.length > 0) throw new RuleViolation("The password is not acceptable", issues);
}

async function insertUnique(db: Executor, row: Parameters<typeof insertUser>[1]): Promise<UserRow> {
  try {
    return await insertUser(db, row);
  } catch (err) {
    if (pgErrorCode(err) === "23505" && pgConstraint(err) === "users_email_lower_key") {
      throw new Conflict("A user with this email already exists", [
        { field: "email", message: "is already registered" },
      ]);
    }
    throw err;
  }
}

/** Sign-up: an account that can log in at once. */
export async function signUp(
  ctx: AppContext,
  u: NewUser & { mobileNumber: string; password: string },
): Promise<UserRow> {
  checkPassword(u.password, u);
  const passwordHash = await hashPassword(u.password);
  return insertUnique(ctx.db, { ...u, passwordHash });
}

/**
 * Adds a friend who has no account yet (the Splitwise way): the two become friends at once.
 * They get a mail with a one-time link to claim the account; the link is minted when the mail is
 * sent, so no usable token ever rests in the outbox.
 */
export async function inviteUser(ctx: AppContext, u: NewUser, inviter: number): Promise<UserRow> {
  const user = await inTransaction(
    ctx.db,
    (tx) => inviteUserIn(tx, u, inviter),
    ctx.config.TX_MAX_RETRIES,
  );
  ctx.outboxWritten?.();
  return user;
}

/** `inviteUser` inside the caller's transaction (an import invites with everything else). */
export async function inviteUserIn(tx: Executor, u: NewUser, inviter: number): Promise<UserRow> {
  const user = await insertUnique(tx, { ...u, passwordHash: null, invitedBy: inviter });
  await befriend(tx, inviter, user.id);
  await writeInvitation(tx, user.id, inviter);
  return user;
}

async function writeInvitation(tx: Executor, userId: number, inviter: number | null) {
  const inviterName = inviter === null ? null : ((await findUser(tx, inviter))?.name ?? null);
  await writeOutbox<NotificationMessage>(tx, [
    {
      v: MESSAGE_VERSION,
      kind: "account.invitation",
      dedupeKey: `invite:${randomUUID()}:to:${userId}`,
      recipientId: userId,
      payload: { inviterName },
    },
  ]);
}

/**
 * Sends a fresh claim link to an invited user who has not claimed the account. Says nothing
 * about whether the email exists: the caller always answers the same.
 */
export async function requestClaimLink(ctx: AppContext, email: string): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.passwordHash !== null || user.deactivatedAt) return;
  await writeInvitation(ctx.db, user.id, user.invitedBy);
  ctx.outboxWritten?.();
}

const badCredentials = () => new Unauthenticated("The email or password is wrong");

/** Checks an email and password; the error never tells which of the two was wrong. */
export async function authenticate(
  ctx: AppContext,
  email: string,
  password: string,
): Promise<UserRow> {
  const user = await findUserByEmail(ctx.db, email);
  const usable = user && !user.deactivatedAt ? user.passwordHash : null;
  const ok = await verifyPassword(usable ?? null, password);
  if (!ok || !user) throw badCredentials();
  return user;
}

/** The invited user a live claim link belongs to (to greet them on the claim form). */
export async function claimLinkUser(ctx: AppContext, token: string): Promise<UserRow | undefined> {
  const userId = await peekAccountLink(ctx.db, "claim", hashSecretToken(token));
  return userId === undefined ? undefined : findUser(ctx.db, userId);
}

const invalidLink = () =>
  new RuleViolation("This link is invalid, expired or already used", [
    { field: "token", message: "is invalid, expired or already used" },
  ]);

/**
 * Claims an invited account with a one-time link: sets the password (and the mobile number, if
 * given: someone invited by email only has none yet) and uses the link up.
 */
export async function claimAccount(
  ctx: AppContext,
  token: string,
  password: string,
  mobileNumber?: string,
): Promise<UserRow> {
  const preview = await claimLinkUser(ctx, token);
  if (!preview) throw invalidLink();
  checkPassword(password, preview);
  const passwordHash = await hashPassword(password);
  return inTransaction(
    ctx.db,
    async (tx) => {
      const userId = await consumeAccountLink(tx, "claim", hashSecretToken(token));
      const user = userId === undefined ? undefined : await findUser(tx, userId);
      if (!user || user.passwordHash !== null || user.deactivatedAt) throw invalidLink();
      await setPasswordHash(tx, user.id, passwordHash);
      if (mobileNumber === undefined) return { ...user, passwordHash };
      const updated = await updateProfile(tx, user.id, { mobileNumber });
      return { ...(updated ?? user), passwordHash };
    },
    ctx.config.TX_MAX_RETRIES,
  );
}

/** Changes the password and ends every other session of the user. */
export async function changePassword(
  ctx: AppContext,
  userId: number,
  current: string,
  next: string,
  keepSessionId?: string,
): Promise<void> {
  const user = await findUser(ctx.db, userId);
  if (!user || !(await verifyPassword(user.passwordHash, current)))
    throw new RuleViolation("The current password is wrong", [
      { field: "current_password", message: "is wrong" },
    ]);
  checkPassword(next, user, "new_password");
  const passwordHash = await hashPassword(next);
  await inTransaction(
    ctx.db,
    async (tx) => {
      await setPasswordHash(tx, userId, passwordHash);
      await deleteUserSessions(tx, userId, keepSessionId);
    },
    ctx.config.TX_MAX_RETRIES,
  );
}
