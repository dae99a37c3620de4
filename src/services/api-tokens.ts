import {
  type ApiTokenRow,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  useApiToken,
} from "../db/repos/api-tokens.js";
import { NotFound } from "../domain/errors.js";
import { hashSecretToken, newSecretToken } from "../lib/secret-token.js";
import type { AppContext } from "./context.js";

export interface IssuedToken {
  id: number;
  token: string;
  expiresAt: Date;
}

/** A new bearer token; the secret is returned once and only its hash is kept. */
export async function issueApiToken(
  ctx: AppContext,
  userId: number,
  label: string,
): Promise<IssuedToken> {
  const token = newSecretToken("evl");
  const expiresAt = new Date(Date.now() + ctx.config.API_TOKEN_TTL_DAYS * 86_400_000);
  const row = await insertApiToken(ctx.db, {
    userId,
    tokenHash: hashSecretToken(token),
    label,
    expiresAt,
  });
  return { id: row.id, token, expiresAt };
}

/** The user and token id behind a presented bearer token, if it is live. */
export function resolveApiToken(
  ctx: AppContext,
  token: string,
): Promise<{ id: number; userId: number } | undefined> {
  return useApiToken(ctx.db, hashSecretToken(token));
}

export function listUserTokens(ctx: AppContext, userId: number): Promise<ApiTokenRow[]> {
  return listApiTokens(ctx.db, userId);
}

export async function revokeUserToken(ctx: AppContext, userId: number, id: number): Promise<void> {
  if (!(await revokeApiToken(ctx.db, userId, id))) throw new NotFound("token", id);
}
