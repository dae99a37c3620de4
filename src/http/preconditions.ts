import type { FastifyReply } from "fastify";
import { z } from "zod";

/**
 * Optimistic concurrency for expenses: the ETag is the expense's version (`"3"`); PUT and DELETE
 * with `If-Match` succeed only if it still matches (412 otherwise). `If-Match: *` matches any
 * existing expense. Without If-Match the write is unconditional (last writer wins).
 */

export const etagOf = (version: number) => `"${version}"`;

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header("etag", etagOf(version));
}

/**
 * Parses an If-Match header into a version check (RFC 9110 §13.1.1); weak tags compare by their
 * value, as a version number is exactly what both forms carry. Unparseable tags match nothing.
 */
export function ifMatchCheck(
  header: string | undefined,
): ((version: number) => boolean) | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "*") return () => true;
  const versions = new Set<number>();
  for (const part of value.split(",")) {
    const m = /^(?:W\/)?"(\d{1,9})"$/.exec(part.trim());
    if (m) versions.add(Number(m[1]));
  }
  return (version) => versions.has(version);
}

export const IfMatchHeaders = z.looseObject({
  "if-match": z.string().max(1000).optional().meta({
    description:
      'The ETag (version) of the copy being changed, e.g. "3"; 412 if someone changed it since. Omit for an unconditional write.',
  }),
});
