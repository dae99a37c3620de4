import { z } from "zod";
import { blankToUndefined, int } from "./fields.js";
import { parseTrustProxy } from "./trust-proxy.js";

/** Sign-in, sessions, invitations and rate limits (README settings table). */
export const authConfigSchema = z.object({
  /** Lifetime of an API token from POST /auth/token. */
  API_TOKEN_TTL_DAYS: int(30, 1, 365),
  /** Lifetime of a page session, from log-in. */
  SESSION_TTL_HOURS: int(336, 1, 24 * 365),
  /** Lifetime of the one-time link that lets an invited user claim their account. */
  INVITE_TTL_HOURS: int(72, 1, 24 * 60),
  /** Lifetime of the one-time link in a "forgot password" mail. */
  RESET_TTL_MINUTES: int(60, 1, 24 * 60),
  /** Failed log-ins per account per window (strict: guessing one account's password). */
  LOGIN_RATE_LIMIT: int(10, 1, 100_000),
  /**
   * Log-in attempts (API and page, failed or not) per client IP per window: much higher, so an
   * office or a college behind one address is not locked out.
   */
  LOGIN_IP_RATE_LIMIT: int(100, 1, 1_000_000),
  /** Sign-ups and account claims per client IP per window. */
  SIGNUP_RATE_LIMIT: int(20, 1, 100_000),
  /** Invitations (each one a mail) per inviting user per window, by any path, imports included. */
  INVITE_RATE_LIMIT: int(50, 1, 100_000),
  /** The rate-limit window. */
  RATE_LIMIT_WINDOW_SECONDS: int(900, 1, 86_400),
  /** Password hashes (argon2, 19 MiB each) computed at once; more wait their turn. */
  PASSWORD_HASH_CONCURRENCY: int(2, 1, 64),
  /** The proxies in front of the app whose X-Forwarded-* are believed (see parseTrustProxy). */
  TRUST_PROXY: z
    .preprocess(blankToUndefined, z.string().default("false"))
    .transform(parseTrustProxy),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;
