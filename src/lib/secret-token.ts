import { createHash, randomBytes } from "node:crypto";

/** A random bearer secret with a readable prefix (so leaked tokens are recognisable in scans). */
export function newSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/**
 * Tokens are 256-bit random values, so a fast hash is enough to store them safely (unlike
 * passwords, they cannot be guessed from a dictionary).
 */
export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
