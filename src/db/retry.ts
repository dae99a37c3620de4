import { isDatabaseUnavailable } from "./errors.js";

/**
 * Runs `op`, retrying with backoff (100 ms doubling to 2 s) while the database is unreachable,
 * for up to `withinMs`; any other error, or the last one, is thrown.
 */
export async function retryWhileUnavailable<T>(op: () => Promise<T>, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
}
