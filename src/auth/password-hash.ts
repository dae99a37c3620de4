import { type Algorithm, hash, verify } from "@node-rs/argon2";
import pLimit from "p-limit";

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const OPTIONS = {
  algorithm: 2 as Algorithm /* Argon2id (a const enum) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/**
 * Every hash and verification takes a turn here: a burst of log-ins queues instead of taking
 * every CPU (argon2 runs on libuv's threads) and starving every other request.
 * The bound is PASSWORD_HASH_CONCURRENCY, set at start-up by setPasswordHashConcurrency.
 */
const limit = pLimit(2);

/** How many hashes run right now, and the most ever at once (tests check the bound). */
export const passwordHashing = { running: 0, peak: 0 };

export function setPasswordHashConcurrency(n: number): void {
  limit.concurrency = n;
}

function bounded<T>(work: () => Promise<T>): Promise<T> {
  return limit(async () => {
    passwordHashing.running++;
    passwordHashing.peak = Math.max(passwordHashing.peak, passwordHashing.running);
    try {
      return await work();
    } finally {
      passwordHashing.running--;
    }
  });
}

export function hashPassword(password: string): Promise<string> {
  return bounded(() => hash(password, OPTIONS));
}

let dummy: Promise<string> | undefined;

/**
 * Verifies a password against a stored hash. Without a hash (unknown email, invited user) it
 * still runs one verification against a dummy, so the response time does not reveal whether
 * the account exists.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummy ??= hashPassword("not-a-real-password");
    const dummyHash = await dummy;
    await bounded(() => verify(dummyHash, password));
    return false;
  }
  try {
    return await bounded(() => verify(stored, password));
  } catch {
    return false;
  }
}
