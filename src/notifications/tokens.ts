import { createHmac, timingSafeEqual } from "node:crypto";
import type { Executor } from "../db/client.js";
import { storedAppSecret } from "../db/repos/app-settings.js";

/** What an unsubscribe link turns off. */
export type MailTopic = "expenses" | "weekly";

function mac(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("base64url");
}

/** A signed, login-free token naming a user and a topic: `<userId>.<topic>.<mac>`. */
export function unsubscribeToken(secret: string, userId: number, topic: MailTopic): string {
  const body = `${userId}.${topic}`;
  return `${body}.${mac(secret, `unsubscribe:${body}`)}`;
}

export function verifyUnsubscribeToken(
  secret: string,
  token: string,
): { userId: number; topic: MailTopic } | null {
  const m = /^(\d{1,10})\.(expenses|weekly)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const [, id, topic, given] = m as unknown as [string, string, MailTopic, string];
  const expected = Buffer.from(mac(secret, `unsubscribe:${id}.${topic}`));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { userId: Number(id), topic };
}

/**
 * APP_SECRET if configured; otherwise one random secret generated on first use and kept in the
 * database, so every process sharing the database signs and verifies alike.
 */
export async function loadSecret(db: Executor, configured: string | undefined): Promise<string> {
  return configured || storedAppSecret(db);
}
