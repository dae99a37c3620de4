import { createHmac } from "node:crypto";
import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import session from "@fastify/session";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { findUser } from "../../db/repos/users.js";
import type { AppContext } from "../../services/context.js";
import { DatabaseSessionStore } from "./session-store.js";

export const SESSION_COOKIE = "evenly_session";

declare module "fastify" {
  interface FastifyRequest {
    /** Name of the logged-in user, for page layouts. */
    actorName?: string;
  }
}

/**
 * Cookie sessions for the HTML pages in `scope`: server-side in our database, HttpOnly,
 * SameSite=Lax, Secure on HTTPS; CSRF tokens kept in the session and checked on every form post
 * in preValidation: after the form body is parsed (in onRequest it would not be there yet), before
 * the route's schemas, so a forged post or a visitor not logged in never learns which addresses
 * are malformed.
 */
export async function usePageSessions(scope: FastifyInstance, ctx: AppContext): Promise<void> {
  const ttlMs = ctx.config.SESSION_TTL_HOURS * 3_600_000;
  await scope.register(cookie);
  await scope.register(session, {
    // A key derived from the app secret, so the session key differs from the link-signing key.
    secret: createHmac("sha256", ctx.secret).update("evenly.session").digest("hex"),
    cookieName: SESSION_COOKIE,
    cookie: { path: "/", httpOnly: true, secure: "auto", sameSite: "lax", maxAge: ttlMs },
    store: new DatabaseSessionStore(ctx.db, ttlMs, (err) =>
      scope.log.error({ err }, "session store callback threw"),
    ),
    saveUninitialized: false,
    rolling: false,
  });
  await scope.register(csrf, { sessionPlugin: "@fastify/session" });
  // The session's onSend hook goes on from a store callback, outside Fastify's error handling: if
  // writing the response then throws (e.g. an invalid header), nothing would answer the request.
  // A promise hook after it hands the rest back to Fastify, which turns such an error into a 500.
  scope.addHook("onSend", async () => {});

  scope.addHook("preValidation", async (request) => {
    const userId = request.session.get("userId");
    if (userId === undefined) return;
    const user = await findUser(ctx.db, userId);
    if (!user || user.deactivatedAt) return;
    request.actor = { userId, via: "session" };
    request.actorName = user.name;
  });
  scope.addHook("preValidation", (request, reply, done) => {
    if (request.method === "GET" || request.method === "HEAD") return done();
    scope.csrfProtection(request, reply, done);
  });
}

/** Logs in: a new session id (no fixation), then the user. */
export async function startSession(request: FastifyRequest, userId: number): Promise<void> {
  await request.session.regenerate();
  request.session.set("userId", userId);
}

/**
 * Logs out: the session row is deleted and a fresh, empty session takes its place (it can carry
 * the "logged out" message). Also used after server-side session ends (password reset), so a
 * message set afterwards cannot write the ended session back.
 */
export async function endSession(request: FastifyRequest): Promise<void> {
  await request.session.regenerate();
}
