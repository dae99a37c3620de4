import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../../services/context.js";
import { namesByIds } from "../../services/people.js";
import type { Actor } from "../actor.js";

/** What every page template gets: who is logged in and the CSRF token for POST forms. */
export interface PageLocals {
  actor: Actor | null;
  actorName: string | null;
  /** Put into every POST form as `_csrf`; the accounts layer fills it (reply.generateCsrf()). */
  csrfToken: string;
  /** One-shot message after a redirect (e.g. "Expense added"); from the query string for now. */
  flash: string | null;
}

/** Flash messages are fixed strings chosen by key, so a URL cannot inject text into a page. */
const FLASHES: Record<string, string> = {
  added: "Expense added.",
  saved: "Expense saved.",
  deleted: "Expense deleted.",
  settled: "Settlement recorded.",
  welcome: "Welcome to Evenly! Add your first expense.",
  "logged-out": "You are logged out.",
  claimed: "Your account is ready. Welcome!",
  profile: "Profile saved.",
  preferences: "Email preferences saved.",
  password: "Password changed. Your other sessions were logged out.",
  "password-reset": "Your password is set; every session and API token was ended. Log in with it.",
  revoked: "Token revoked.",
};

/** The ONE place page locals come from. */
export async function pageLocals(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
): Promise<PageLocals> {
  const actor = request.actor;
  const key = (request.query as Record<string, unknown> | undefined)?.flash;
  const names = actor ? await namesByIds(ctx, [actor.userId]) : new Map<number, string>();
  return {
    actor,
    actorName: actor ? (names.get(actor.userId) ?? null) : null,
    csrfToken: reply.generateCsrf(),
    flash: typeof key === "string" ? (FLASHES[key] ?? null) : null,
  };
}
