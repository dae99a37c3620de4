import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../../services/context.js";
import { namesByIds } from "../../services/people.js";
import type { Actor } from "../actor.js";
import { takeFlash } from "./flash.js";

/** What every page template gets: who is logged in and the CSRF token for POST forms. */
export interface PageLocals {
  actor: Actor | null;
  actorName: string | null;
  /** Put into every POST form as `_csrf`; the accounts layer fills it (reply.generateCsrf()). */
  csrfToken: string;
  /** One-shot message after a redirect (e.g. "Expense added"), from the session (flash.ts). */
  flash: string | null;
}

/** The ONE place page locals come from. */
export async function pageLocals(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
): Promise<PageLocals> {
  const actor = request.actor;
  const names = actor ? await namesByIds(ctx, [actor.userId]) : new Map<number, string>();
  return {
    actor,
    actorName: actor ? (names.get(actor.userId) ?? null) : null,
    csrfToken: reply.generateCsrf(),
    flash: takeFlash(request),
  };
}
