import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  claimIdempotencyKey,
  purgeIdempotencyKeys,
  storeIdempotentResponse,
} from "../db/repos/idempotency.js";
import type { TxHooks } from "../db/transaction.js";
import { RuleViolation } from "../domain/errors.js";
import type { AppContext } from "../services/context.js";
import type { Actor } from "./actor.js";
import { MAX_JSON_DEPTH, MalformedJson } from "./json-body.js";

/**
 * Idempotent creation (`Idempotency-Key` header, IETF draft-ietf-httpapi-idempotency-key-header):
 * the first request with a key claims it inside the write's own transaction and stores its
 * response there; a retry with the same key and the same request gets that response back
 * (`Idempotent-Replayed: true`) and creates nothing; the same key with a different request is 422.
 * A concurrent duplicate waits on the key's row and then replays. Only successful responses are
 * stored: a refused request rolls its claim back, so the key stays free.
 */

export const IDEMPOTENCY_HEADER = "idempotency-key";
export const REPLAYED_HEADER = "idempotent-replayed";

export const IdempotencyKey = z
  .string()
  .min(1, "must be 1 to 255 characters")
  .max(255, "must be 1 to 255 characters")
  .regex(/^[\x20-\x7e]+$/, "must be printable ASCII")
  .meta({
    description:
      "Makes the request safe to retry: a retry with the same key and body returns the original response and creates nothing (kept at least 24 hours, per user)",
    examples: ["6f1c2a9e-4b1d-4c0e-9a43-2f8d1f0b7c55"],
  });

/** The header part of a route schema (other headers pass through untouched). */
export const IdempotencyHeaders = z.looseObject({
  [IDEMPOTENCY_HEADER]: IdempotencyKey.optional(),
});

/** The ONE place a key's scope is decided: per acting user once authentication sets one. */
export function idempotencyScope(actor: Actor | null): string {
  return actor ? `user:${actor.userId}` : "anonymous";
}

/**
 * JSON with object keys sorted at every level, so key order does not change the fingerprint.
 * Bodies arrive at most MAX_JSON_DEPTH deep (json-body.ts); the guard keeps any other value from
 * recursing until the stack overflows.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_JSON_DEPTH)
    throw new MalformedJson(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted`);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, depth + 1)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`)
    .digest("hex");
}

declare module "fastify" {
  interface FastifyRequest {
    /** Fingerprint of the request as received (before schema coercion), for Idempotency-Key. */
    idempotencyFingerprint?: string;
  }
}

/** Route `preValidation` hook: fingerprints the body exactly as the client sent it. */
export async function fingerprintRequest(request: FastifyRequest): Promise<void> {
  request.idempotencyFingerprint = requestFingerprint(
    request.method,
    request.url.split("?")[0] ?? request.url,
    request.body,
  );
}

/** Thrown from inside the transaction to abort it and send the stored response instead. */
class Replay extends Error {
  constructor(
    readonly status: number,
    readonly response: unknown,
  ) {
    super("idempotent replay");
  }
}

let lastPurge = 0;
const PURGE_EVERY_MS = 60_000;

/**
 * Runs a creating write with the request's Idempotency-Key (if any) and sends its response.
 * `run` must perform the write in one transaction, calling the given hooks inside it.
 */
export async function sendIdempotent<R>(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  opts: {
    status: number;
    run: (hooks?: TxHooks<R>) => Promise<R>;
    present: (result: R) => unknown;
  },
): Promise<FastifyReply> {
  const header = request.headers[IDEMPOTENCY_HEADER];
  const key = typeof header === "string" ? header : undefined;
  if (key === undefined) {
    const result = await opts.run();
    return reply.code(opts.status).send(opts.present(result) as never);
  }
  const scope = idempotencyScope(request.actor);
  const path = request.url.split("?")[0] ?? request.url;
  const fingerprint =
    request.idempotencyFingerprint ?? requestFingerprint(request.method, path, request.body);
  const retention = ctx.config.IDEMPOTENCY_RETENTION_HOURS;
  try {
    const result = await opts.run({
      async before(tx) {
        const claim = await claimIdempotencyKey(
          tx,
          {
            scope,
            key,
            userId: request.actor?.userId ?? null,
            fingerprint,
            method: request.method,
            path,
          },
          retention,
        );
        if (claim.kind === "claimed") return;
        if (claim.fingerprint !== fingerprint) {
          throw new RuleViolation(
            "This Idempotency-Key was already used with a different request; use a new key for a new request",
            [{ field: "Idempotency-Key", message: "was used with a different request" }],
          );
        }
        throw new Replay(claim.status ?? 500, claim.response);
      },
      async after(tx, result) {
        await storeIdempotentResponse(tx, scope, key, opts.status, opts.present(result));
      },
    });
    maybePurge(ctx, request);
    return reply.code(opts.status).send(opts.present(result) as never);
  } catch (err) {
    if (!(err instanceof Replay)) throw err;
    reply.header(REPLAYED_HEADER, "true");
    return reply.code(err.status).send(err.response as never);
  }
}

/** Expired keys are deleted at most once a minute per process, after a write, off the request path. */
function maybePurge(ctx: AppContext, request: FastifyRequest): void {
  const now = Date.now();
  if (now - lastPurge < PURGE_EVERY_MS) return;
  lastPurge = now;
  purgeIdempotencyKeys(ctx.db, ctx.config.IDEMPOTENCY_RETENTION_HOURS).then(
    (n) => n > 0 && request.log.info({ purged: n }, "expired idempotency keys purged"),
    (err) => request.log.warn({ err }, "purging expired idempotency keys failed"),
  );
}
