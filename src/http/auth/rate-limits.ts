import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { AuthConfig } from "../../config.js";
import { RateLimited } from "../../domain/errors.js";

/**
 * Brute-force brakes for log-in (per client IP and per account) and sign-up/claim (per IP).
 * Counters live in the process (rate-limiter-flexible's memory store): behind a load balancer
 * each web process counts on its own, so the effective limit is N × the setting.
 */
export class AuthRateLimits {
  private readonly loginByIp: RateLimiterMemory;
  private readonly failuresByAccount: RateLimiterMemory;
  private readonly signupByIp: RateLimiterMemory;

  constructor(config: AuthConfig) {
    const duration = config.RATE_LIMIT_WINDOW_SECONDS;
    this.loginByIp = new RateLimiterMemory({ points: config.LOGIN_RATE_LIMIT, duration });
    this.failuresByAccount = new RateLimiterMemory({ points: config.LOGIN_RATE_LIMIT, duration });
    this.signupByIp = new RateLimiterMemory({ points: config.SIGNUP_RATE_LIMIT, duration });
  }

  /** Counts a log-in attempt from `ip`; refuses when the IP or the account is over its limit. */
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
}

const accountKey = (email: string) => email.trim().toLowerCase();

const limited = (res: RateLimiterRes) =>
  new RateLimited(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));

async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw limited(err);
    throw err;
  }
}
