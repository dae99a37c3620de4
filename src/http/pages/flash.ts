import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * One-shot messages after a redirect ("Expense added"), kept in the server-side session and
 * removed when shown: a reload, a bookmark or a shared address shows nothing. They are fixed
 * strings chosen by key, so nothing a visitor sends ends up in a page as a message.
 */
export const FLASHES = {
  added: "Expense added.",
  saved: "Expense saved.",
  deleted: "Expense deleted.",
  settled: "Settlement recorded.",
  restored: "Expense restored: its balances are back.",
  "settlement-deleted": "Settlement deleted: its effect on balances is reversed.",
  "settlement-restored": "Settlement restored.",
  welcome: "Welcome to Evenly! Add your first expense.",
  "logged-out": "You are logged out.",
  claimed: "Your account is ready. Welcome!",
  profile: "Profile saved.",
  preferences: "Email preferences saved.",
  password: "Password changed. Your other sessions were logged out.",
  "password-reset": "Your password is set; every session and API token was ended. Log in with it.",
  revoked: "Token revoked.",
  "group-created": "Group created.",
  "group-saved": "Group settings saved.",
  "member-added": "Member added.",
  "member-already": "They are already a member.",
  "member-removed": "Member removed.",
  "group-left": "You left the group.",
  "group-archived": "Group archived: it is read-only now.",
  "group-imported": "Group imported: its balances are the file's, to the paisa.",
} as const;

export type FlashKey = keyof typeof FLASHES;

declare module "fastify" {
  interface Session {
    flash?: FlashKey;
    /** An API token just created, until the profile page shows it once. */
    newToken?: string;
  }
}

/** Redirects (303, after a POST) to `url`, which then shows the message once. */
export function redirectWithFlash(
  request: FastifyRequest,
  reply: FastifyReply,
  url: string,
  key: FlashKey,
): FastifyReply {
  request.session.set("flash", key);
  return reply.redirect(url, 303);
}

/** The pending message, removed from the session (saved with this response). */
export function takeFlash(request: FastifyRequest): string | null {
  const key = request.session?.get("flash");
  if (key === undefined) return null;
  request.session.set("flash", undefined);
  return FLASHES[key] ?? null;
}

/** Keeps a secret for the next page only (the token shown once after a redirect). */
export function stashNewToken(request: FastifyRequest, token: string): void {
  request.session.set("newToken", token);
}

export function takeNewToken(request: FastifyRequest): string | null {
  const token = request.session?.get("newToken");
  if (token === undefined) return null;
  request.session.set("newToken", undefined);
  return token;
}
