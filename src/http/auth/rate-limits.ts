import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import type { AuthConfig } from "../../config.js";
import type { LimiterFactory } from "../../db/rate-limit-store.js";
import { RateLimited } from "../../domain/errors.js";

/**
 * Brute-force brakes for log-in (per client IP and per account) and sign-up/claim (per IP).
 * The counters live where `limiter` puts them (src/db/rate-limit-store.ts): in PostgreSQL, shared
 * by every web process and instance, or in memory with the embedded database.
 */
export class AuthRateLimits {
  private readonly loginByIp: RateLimiterAbstract;
  private readonly failuresByAccount: RateLimiterAbstract;
  private readonly signupByIp: RateLimiterAbstract;
  private readonly resetByIp: RateLimiterAbstract;

  constructor(config: AuthConfig, limiter: LimiterFactory) {
    const duration = config.RATE_LIMIT_WINDOW_SECONDS;
    this.loginByIp = limiter({
      keyPrefix: "login-ip",
      points: config.LOGIN_IP_RATE_LIMIT,
      duration,
    });
    this.failuresByAccount = limiter({
      keyPrefix: "login-account",
      points: config.LOGIN_RATE_LIMIT,
      duration,
    });
    this.signupByIp = limiter({
      keyPrefix: "signup-ip",
      points: config.SIGNUP_RATE_LIMIT,
      duration,
    });
    // Its own counter (same allowance) so password resets do not use up sign-ups, or back.
    this.resetByIp = limiter({
      keyPrefix: "reset-ip",
      points: config.SIGNUP_RATE_LIMIT,
      duration,
    });
  }

  /**
   * Counts a log-in attempt from `ip` (every attempt: a generous per-IP limit, since many people
   * may share one address); refuses when the IP or the account is over its limit.
   */
  async beforeLogin(ip: string, email: string): Promise<void> {
    await consume(this.loginByIp, ip);
    const failures = await this.failuresByAccount.get(accountKey(email));
    if (failures && failures.remainingPoints <= 0) throw limited(failures);
  }

  /** Only failures count against an account, so its owner is not locked out by their own use. */
  async loginFailed(email: string): Promise<void> {
    await this.failuresByAccount.penalty(accountKey(email));
  }

  async loginSucceeded(email: string): Promise<void> {
    await this.failuresByAccount.delete(accountKey(email));
  }

  async beforeSignup(ip: string): Promise<void> {
    await consume(this.signupByIp, ip);
  }

  /** Password-reset requests and confirmations per IP (each request may send a mail). */
  async beforePasswordReset(ip: string): Promise<void> {
    await consume(this.resetByIp, ip);
  }
}

const accountKey = (email: string) => email.trim().toLowerCase();

const limited = (res: RateLimiterRes) =>
  new RateLimited(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));

/** A refusal becomes RateLimited (429); a store error (database down) propagates (503). */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw limited(err);
    throw err;
  }
}
