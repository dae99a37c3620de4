import type { SessionStore } from "@fastify/session";
import type { Session } from "fastify";
import type { Database } from "../../db/client.js";
import {
  deleteExpiredSessions,
  deleteSession,
  readSession,
  writeSession,
} from "../../db/repos/sessions.js";

/** Expired sessions are purged at most this often, piggybacking on session writes. */
const PURGE_EVERY_MS = 3_600_000;

declare module "fastify" {
  interface Session {
    userId?: number;
  }
}

/** Something thrown by @fastify/session's callback (the rest of the request), reported, not lost. */
export type CallbackErrorReporter = (err: unknown) => void;

/**
 * Hands the outcome of `work` to a store callback. The callback runs the rest of the request
 * (the next hooks, writing the response); whatever it throws would otherwise reject this promise
 * chain with no one listening, and an unhandled rejection ends the process. page-session.ts makes
 * Fastify itself catch what follows the session hooks, so this only reports leftovers.
 */
function settle<T>(
  work: Promise<T>,
  deliver: (err: unknown, value?: T) => void,
  report: CallbackErrorReporter,
): void {
  work.then((value) => deliver(null, value), deliver).catch(report);
}

/**
 * @fastify/session's store on our own database (PGlite or PostgreSQL): sessions survive restarts,
 * are shared by every web process, and can be ended server-side (log-out, password change).
 */
export class DatabaseSessionStore implements SessionStore {
  private lastPurge = 0;

  constructor(
    private readonly db: Database,
    private readonly ttlMs: number,
    private readonly report: CallbackErrorReporter = (err) =>
      console.error("session store callback threw", err),
  ) {}

  set(sid: string, session: Session, callback: (err?: unknown) => void): void {
    const expires = session.cookie?.expires;
    const written = writeSession(this.db, {
      sid,
      userId: session.userId ?? null,
      data: session,
      expiresAt: expires ? new Date(expires) : new Date(Date.now() + this.ttlMs),
    });
    settle(written, (err) => callback(err ?? undefined), this.report);
    if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = Date.now();
      // Housekeeping only: a failure here must not fail the request.
      deleteExpiredSessions(this.db).catch(() => {});
    }
  }

  get(sid: string, callback: (err: unknown, result?: Session | null) => void): void {
    settle(
      readSession(this.db, sid),
      (err, data) => (err ? callback(err) : callback(null, (data as Session | undefined) ?? null)),
      this.report,
    );
  }

  destroy(sid: string, callback: (err?: unknown) => void): void {
    settle(deleteSession(this.db, sid), (err) => callback(err ?? undefined), this.report);
  }
}
