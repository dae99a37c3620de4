import type PgBoss from "pg-boss";

export interface ConsumerOptions {
  queue: string;
  batchSize: number;
  pollMs: number;
  /** Handles one job; throwing fails it, and pg-boss hands it out again later (with backoff). */
  handle(job: PgBoss.Job<unknown>): Promise<void>;
  /** A queue operation failed (the database is probably away); it is being retried. */
  onError(err: unknown, context: string): void;
}

export interface Consumer {
  /** Fetch again now instead of waiting for the next poll (new jobs were just committed). */
  notify(): void;
  /** Stops fetching and waits for the batch in hand (giving up on settling it if need be). */
  stop(): Promise<void>;
}

/** 250 ms, 500 ms, … up to 5 s, with jitter so several workers do not retry in lockstep. */
const backoffMs = (attempt: number) => Math.min(5000, 250 * 2 ** attempt) * (0.5 + Math.random());

/**
 * Polls a pg-boss queue and settles each job itself, awaiting every complete and fail. pg-boss 10's
 * own `work()` leaves those promises unhandled, so a database outage mid-batch ended the process.
 * Here a settlement that fails is retried with backoff until the database is back; fetching goes
 * on meanwhile as plain polling (pg-boss's fetch reports an unreachable database as an empty
 * queue). Only stop() ends the loop; a batch left unsettled then stays active and pg-boss hands
 * it out again after the queue's expiry, where the handler's dedupe keeps mail from doubling.
 */
export function startConsumer(boss: PgBoss, opts: ConsumerOptions): Consumer {
  let stopping = false;
  let notified = false;
  let wake: (() => void) | undefined;
  /** Waits `ms`; stop() always cuts it short, notify() only when `onNotify` is set. */
  const pause = (ms: number, onNotify: boolean) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      if (stopping || (onNotify && notified)) return done();
      wake = onNotify ? done : () => stopping && done();
    });

  /** Runs a queue operation until it succeeds or the consumer stops. */
  async function settle(what: string, op: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        await op();
        return;
      } catch (err) {
        opts.onError(err, `${what} (queue ${opts.queue}, attempt ${attempt + 1})`);
        await pause(backoffMs(attempt), false);
      }
    }
  }

  async function runBatch(jobs: PgBoss.Job<unknown>[]): Promise<void> {
    const done: string[] = [];
    for (const job of jobs) {
      try {
        await opts.handle(job);
        done.push(job.id);
      } catch (err) {
        const message = String((err as Error)?.message ?? err);
        await settle(`failing job ${job.id}`, () => boss.fail(opts.queue, job.id, { message }));
      }
    }
    if (done.length > 0) await settle("completing jobs", () => boss.complete(opts.queue, done));
  }

  const loop = (async () => {
    while (!stopping) {
      notified = false;
      let jobs: PgBoss.Job<unknown>[] = [];
      try {
        jobs = (await boss.fetch<unknown>(opts.queue, { batchSize: opts.batchSize })) ?? [];
      } catch (err) {
        opts.onError(err, `fetching (queue ${opts.queue})`);
      }
      if (jobs.length > 0) await runBatch(jobs);
      // A full batch means more are waiting: fetch again at once instead of sleeping.
      if (jobs.length < opts.batchSize) await pause(opts.pollMs, true);
    }
  })();

  return {
    notify() {
      notified = true;
      wake?.();
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
