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

/**
 * @fastify/session's store on our own database (PGlite or PostgreSQL): sessions survive restarts,
 * are shared by every web process, and can be ended server-side (log-out, password change).
 */
export class DatabaseSessionStore implements SessionStore {
  private lastPurge = 0;

  constructor(
    private readonly db: Database,
    private readonly ttlMs: number,
  ) {}

  set(sid: string, session: Session, callback: (err?: unknown) => void): void {
    const expires = session.cookie?.expires;
    writeSession(this.db, {
      sid,
      userId: session.userId ?? null,
      data: session,
      expiresAt: expires ? new Date(expires) : new Date(Date.now() + this.ttlMs),
    }).then(() => callback(), callback);
    if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = Date.now();
      // Housekeeping only: a failure here must not fail the request.
      deleteExpiredSessions(this.db).catch(() => {});
    }
  }

  get(sid: string, callback: (err: unknown, result?: Session | null) => void): void {
    readSession(this.db, sid).then(
      (data) => callback(null, (data as Session | undefined) ?? null),
      (err) => callback(err),
    );
  }

  destroy(sid: string, callback: (err?: unknown) => void): void {
    deleteSession(this.db, sid).then(() => callback(), callback);
  }
}
