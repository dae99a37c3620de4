import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import type { HandlerDeps } from "./handler.js";
import type { Mailer } from "./mailer.js";
import { loadSecret } from "./tokens.js";

/**
 * The one place the notification handler's dependencies are built from the configuration: the
 * local worker (runtime.ts) and both Lambdas use it, so a setting cannot reach one and not the other.
 */
export async function notificationDeps(
  config: Config,
  db: Database,
  mailer: Mailer,
): Promise<HandlerDeps> {
  return {
    db,
    mailer,
    secret: await loadSecret(db, config.APP_SECRET),
    publicUrl: config.PUBLIC_URL,
    mailFrom: config.MAIL_FROM,
    leaseSeconds: config.NOTIFY_LEASE_SECONDS,
    inviteTtlHours: config.INVITE_TTL_HOURS,
    resetTtlMinutes: config.RESET_TTL_MINUTES,
  };
}
