import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import type { AuthConfig } from "../../config.js";
import type { LimiterFactory } from "../../db/rate-limit-store.js";
import { RateLimited } from "../../domain/errors.js";
import type { InviteAllowance } from "../../services/import-members.js";

/**
 * Brute-force brakes for log-in (per client IP and per account), sign-up/claim (per IP) and
 * invitations (per inviting user: each one sends a mail, whatever the path).
 * The counters live where `limiter` puts them (src/db/rate-limit-store.ts): in PostgreSQL, shared
 * by every web process and instance, or in memory with the embedded database.
 */
export class AuthRateLimits {
  private readonly loginByIp: RateLimiterAbstract;
  private readonly failuresByAccount: RateLimiterAbstract;
  private readonly signupByIp: RateLimiterAbstract;
  private readonly resetByIp: RateLimiterAbstract;
  private readonly invitesByUser: RateLimiterAbstract;
  private readonly invitePoints: number;
  private readonly windowSeconds: number;

  constructor(config: AuthConfig, limiter: LimiterFactory) {
    const duration = config.RATE_LIMIT_WINDOW_SECONDS;
    this.windowSeconds = duration;
    this.invitePoints = config.INVITE_RATE_LIMIT;
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
    this.invitesByUser = limiter({
      keyPrefix: "invite-user",
      points: config.INVITE_RATE_LIMIT,
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

  /**
   * One invitation (POST /friends or POST /users without a password, the Friends page, the
   * expense form's "Invite and add"): counted per IP like a sign-up, and against the inviter's
   * own allowance, which imports share.
   */
  async beforeInvite(ip: string, inviter: number): Promise<void> {
    await consume(this.signupByIp, ip);
    try {
      await this.invitesByUser.consume(String(inviter));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const { wait, per, later } = this.inviteLimitText(err);
      throw new RateLimited(wait, `Too many invitations: you may invite ${per}; ${later}`);
    }
  }

  /**
   * The inviter's allowance for an import, which invites several people at once: each counts as
   * one invitation. All of them fit or none is counted (429 saying how many are left).
   */
  invitesOf(inviter: number): InviteAllowance {
    const key = String(inviter);
    return {
      reserve: async (count) => {
        if (count <= 0) return async () => {};
        try {
          await this.invitesByUser.consume(key, count);
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          // Refused: give this request's points back, so asking for too many uses up nothing.
          await this.invitesByUser.reward(key, count);
          throw this.tooManyInvites(err, count);
        }
        // The import wrote nothing (it failed): nobody was invited. A store error here must not
        // hide the import's own error, so it is dropped (the points stay counted until the window ends).
        return () =>
          this.invitesByUser.reward(key, count).then(
            () => undefined,
            () => undefined,
          );
      },
    };
  }

  /** The wait in seconds, "3 people per 15 minutes" and "try again in 12 minutes". */
  private inviteLimitText(res: RateLimiterRes) {
    const wait = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    const per = `${this.invitePoints} people per ${durationText(this.windowSeconds)}`;
    return { wait, per, later: `try again in ${durationText(wait)}` };
  }

  private tooManyInvites(res: RateLimiterRes, count: number): RateLimited {
    const left = Math.max(0, this.invitePoints - (res.consumedPoints - count));
    const { wait, per, later } = this.inviteLimitText(res);
    const people = `${count} new ${count === 1 ? "person" : "people"}`;
    return new RateLimited(
      wait,
      `Too many invitations: this would invite ${people}; you may invite ${per} and have ${left} left now: ${later}`,
      [
        {
          field: "members",
          message: `would invite ${people}; you may invite ${per} and have ${left} left now: ${later}, or choose people you know for some of them`,
        },
      ],
    );
  }
}

/** "15 minutes", "1 hour", "45 seconds": a window or a wait as people say it (a wait rounded up). */
function durationText(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (seconds % 3600 === 0) return unit(seconds / 3600, "hour");
  if (seconds % 60 === 0 || seconds >= 120) return unit(Math.ceil(seconds / 60), "minute");
  return unit(seconds, "second");
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
