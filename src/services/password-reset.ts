import { randomUUID } from "node:crypto";
import { hashPassword } from "../auth/password-hash.js";
import {
  consumeAccountLink,
  deadAccountLinkState,
  peekAccountLink,
} from "../db/repos/account-links.js";
import { revokeAllApiTokens } from "../db/repos/api-tokens.js";
import { writeOutbox } from "../db/repos/outbox.js";
import { deleteUserSessions } from "../db/repos/sessions.js";
import { findUser, findUserByEmail, setPasswordHash, type UserRow } from "../db/repos/users.js";
import { inTransaction } from "../db/transaction.js";
import { Gone, InvalidInput, RuleViolation } from "../domain/errors.js";
import { passwordIssues } from "../domain/password-policy.js";
import { hashSecretToken } from "../lib/secret-token.js";
import { MESSAGE_VERSION, type NotificationMessage } from "../notifications/message.js";
import type { AppContext } from "./context.js";

/**
 * "Forgot password": a mail with a one-time link (minted when the mail is sent, stored hashed,
 * purpose "reset"); using it sets a new password and ends every session and API token.
 */

/**
 * Queues the reset mail for an active account with a password. Says nothing about whether the
 * email exists: the caller always answers the same (and an unknown email writes nothing).
 */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.passwordHash === null || user.deactivatedAt) return;
  await writeOutbox<NotificationMessage>(ctx.db, [
    {
      v: MESSAGE_VERSION,
      kind: "account.password_reset",
      dedupeKey: `reset:${randomUUID()}:to:${user.id}`,
      recipientId: user.id,
      payload: {},
    },
  ]);
  ctx.outboxWritten?.();
}

/** A link that never existed is a bad request (400); one used or expired is gone (410). */
async function deadLink(ctx: AppContext, tokenHash: string): Promise<Error> {
  const state = await deadAccountLinkState(ctx.db, "reset", tokenHash);
  const issue = (message: string) => [{ field: "token", message }];
  return state === "gone"
    ? new Gone("This link has expired or was already used", issue("has expired or was used"))
    : new InvalidInput("This link is not valid", issue("is not a valid reset link"));
}

/** The user a live reset link belongs to, without using it (to show the form). */
export async function resetLinkUser(ctx: AppContext, token: string): Promise<UserRow> {
  const tokenHash = hashSecretToken(token);
  const userId = await peekAccountLink(ctx.db, "reset", tokenHash);
  const user = userId === undefined ? undefined : await findUser(ctx.db, userId);
  if (!user || user.deactivatedAt) throw await deadLink(ctx, tokenHash);
  return user;
}

/**
 * Sets a new password with a reset link and uses the link up; then every page session and API
 * token of the user ends (whoever knew the old password is out). Password rules are checked
 * before the link is used, so a rejected password leaves the link usable.
 */
export async function resetPassword(ctx: AppContext, token: string, password: string) {
  const preview = await resetLinkUser(ctx, token);
  const issues = passwordIssues(password, preview, "password");
  if (issues.length > 0) throw new RuleViolation("The password is not acceptable", issues);
  const passwordHash = await hashPassword(password);
  const tokenHash = hashSecretToken(token);
  const userId = await inTransaction(
    ctx.db,
    async (tx) => {
      const userId = await consumeAccountLink(tx, "reset", tokenHash);
      if (userId === undefined) return undefined;
      await setPasswordHash(tx, userId, passwordHash);
      await deleteUserSessions(tx, userId);
      await revokeAllApiTokens(tx, userId);
      return userId;
    },
    ctx.config.TX_MAX_RETRIES,
  );
  // Used up meanwhile by a concurrent request.
  if (userId === undefined) throw await deadLink(ctx, tokenHash);
}
