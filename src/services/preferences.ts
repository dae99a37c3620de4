import {
  type EmailPreferences,
  findEmailPreferences,
  updateEmailPreferences,
} from "../db/repos/preferences.js";
import { NotFound } from "../domain/errors.js";
import { assertSelf } from "./access.js";
import type { AppContext } from "./context.js";

export type { EmailPreferences };

export async function getPreferences(
  ctx: AppContext,
  userId: number,
  actor: number,
): Promise<EmailPreferences> {
  assertSelf(actor, userId);
  const prefs = await findEmailPreferences(ctx.db, userId);
  if (!prefs) throw new NotFound("user", userId);
  return prefs;
}

export async function updatePreferences(
  ctx: AppContext,
  userId: number,
  change: Partial<EmailPreferences>,
  actor: number,
): Promise<EmailPreferences> {
  assertSelf(actor, userId);
  if (!(await updateEmailPreferences(ctx.db, userId, change))) throw new NotFound("user", userId);
  return getPreferences(ctx, userId, actor);
}
