import { randomUUID } from "node:crypto";
import { testSeed } from "./seed.js";

/**
 * A realistic mixed workload over real HTTP for load and outage tests: concurrent clients create,
 * edit (with If-Match), delete expenses and record settlements among overlapping users, retrying
 * some creates with their Idempotency-Key, and read balances. Every response is recorded.
 *
 * Every request is sent as a user the access rules allow: an expense is created by one of its
 * participants (payer included), edited and deleted by its creator (who every edit keeps in it, so
 * they always see it: a concurrent edit can never turn them into a mere participant, so no 403), a
 * settlement recorded by one of its two users, balances read by their owner.
 */

export interface Sample {
  at: number;
  op: string;
  status: number; // 0 = no HTTP response (connection error)
  ms: number;
  problem?: boolean;
}

export interface CreateAttempt {
  key: string;
  /** Who sent it: keys are per user, so a retry must come from them. */
  actor: number;
  path: string;
  body: unknown;
  status: number;
  id?: number;
}

export interface WorkloadOptions {
  base: string;
  users: number[];
  clients: number;
  seconds: number;
  headersFor: (userId: number) => Record<string, string>;
  /** Default: the run's TEST_SEED (test/helpers/seed.ts). */
  seed?: number;
  /** Abort a request after this long (counts as status 0). */
  timeoutMs?: number;
}

export interface WorkloadResult {
  samples: Sample[];
  creates: CreateAttempt[];
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

export async function runWorkload(o: WorkloadOptions): Promise<WorkloadResult> {
  const samples: Sample[] = [];
  const creates: CreateAttempt[] = [];
  const known: { id: number; creator: number }[] = []; // expenses seen created
  const deadline = Date.now() + o.seconds * 1000;

  async function send(
    op: string,
    method: string,
    path: string,
    actor: number,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<{ status: number; json: unknown; headers: Headers | undefined }> {
    const started = performance.now();
    try {
      const res = await fetch(`${o.base}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...o.headersFor(actor),
          ...extra,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
      });
      const text = await res.text();
      const ms = performance.now() - started;
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {}
      const problem =
        res.status >= 400
          ? (res.headers.get("content-type") ?? "").startsWith("application/problem+json") &&
            typeof (json as { status?: unknown })?.status === "number"
          : undefined;
      samples.push({
        at: Date.now(),
        op,
        status: res.status,
        ms,
        ...(problem === undefined ? {} : { problem }),
      });
      return { status: res.status, json, headers: res.headers };
    } catch {
      samples.push({ at: Date.now(), op, status: 0, ms: performance.now() - started });
      return { status: 0, json: undefined, headers: undefined };
    }
  }

  async function client(index: number) {
    const next = rng((o.seed ?? testSeed) + index * 7919);
    const distinct = new Set(o.users).size;
    if (distinct < 5 || o.users.some((u) => !Number.isInteger(u)))
      throw new Error(`runWorkload needs at least 5 distinct user ids, got ${o.users}`);
    const pick = (n: number, including?: number) => {
      const set = new Set<number>(including === undefined ? [] : [including]);
      while (set.size < n) set.add(o.users[next(o.users.length)] as number);
      return [...set];
    };
    /** A new expense body; `actor` (when given) takes part in it. */
    const expenseBody = (actor?: number) => {
      const participants = pick(2 + next(4), actor);
      const amount = 100 + next(500_000);
      const payer = participants[next(participants.length)] as number;
      if (next(2) === 0)
        return {
          paid_by: payer,
          amount: (amount / 100).toFixed(2),
          split_type: "EQUAL",
          participants,
          description: `load ${index}`,
        };
      const each = Math.floor(amount / participants.length);
      return {
        paid_by: payer,
        amount: (amount / 100).toFixed(2),
        split_type: "EXACT",
        participants,
        split_values: participants.map((_, i) =>
          ((i === 0 ? amount - each * (participants.length - 1) : each) / 100).toFixed(2),
        ),
        description: `load ${index}`,
      };
    };
    while (Date.now() < deadline) {
      const op = next(100);
      const actor = o.users[next(o.users.length)] as number;
      if (op < 35) {
        const body = expenseBody(actor);
        const key = randomUUID();
        const r = await send("create", "POST", "/expenses", actor, body, {
          "idempotency-key": key,
        });
        const id = (r.json as { expenseid?: number } | undefined)?.expenseid;
        creates.push({
          key,
          actor,
          path: "/expenses",
          body,
          status: r.status,
          ...(id ? { id } : {}),
        });
        if (id) known.push({ id, creator: actor });
        // Now and then the client "lost" the answer and retries with the same key.
        if (r.status === 201 && next(5) === 0) {
          const again = await send("create-retry", "POST", "/expenses", actor, body, {
            "idempotency-key": key,
          });
          if (again.status === 201 && (again.json as { expenseid?: number }).expenseid !== id)
            samples.push({ at: Date.now(), op: "create-retry-mismatch", status: 999, ms: 0 });
        }
      } else if (op < 50) {
        const [from, to] = pick(2) as [number, number];
        const body = {
          from_user: from,
          to_user: to,
          amount: ((1 + next(20_000)) / 100).toFixed(2),
        };
        const key = randomUUID();
        const by = next(2) === 0 ? from : to;
        const r = await send("settle", "POST", "/settlements", by, body, {
          "idempotency-key": key,
        });
        creates.push({ key, actor: by, path: "/settlements", body, status: r.status });
      } else if (op < 72 && known.length > 0) {
        const { id, creator } = known[next(known.length)] as { id: number; creator: number };
        const got = await send("get", "GET", `/expenses/${id}`, creator);
        const etag = got.headers?.get("etag");
        if (got.status !== 200 || !etag) continue;
        // Sometimes the copy is stale on purpose: the edit must be refused with 412.
        const ifMatch = next(6) === 0 ? '"0"' : etag;
        await send("edit", "PUT", `/expenses/${id}`, creator, expenseBody(creator), {
          "if-match": ifMatch,
        });
      } else if (op < 80 && known.length > 0) {
        const { id, creator } = known[next(known.length)] as { id: number; creator: number };
        await send(
          "delete",
          "DELETE",
          `/expenses/${id}`,
          creator,
          undefined,
          next(2) ? { "if-match": "*" } : {},
        );
      } else {
        await send(
          "balances",
          "GET",
          `/users/${actor}/balances${next(4) === 0 ? "?simplify=true" : ""}`,
          actor,
        );
      }
    }
  }

  await Promise.all(Array.from({ length: o.clients }, (_, i) => client(i)));
  return { samples, creates };
}

export function byStatus(samples: Sample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) out[s.status] = (out[s.status] ?? 0) + 1;
  return out;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
