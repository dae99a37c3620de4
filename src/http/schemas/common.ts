import { z } from "zod";
import { InvalidInput } from "../../domain/errors.js";
import { isMultiLine, isSingleLine, toLineFeeds } from "../../domain/text.js";

/** Ids are PostgreSQL integers: anything larger would fail in the database, not in validation. */
export const MAX_INT4 = 2_147_483_647;

export const Id = z.number().int().positive().max(MAX_INT4);

/** An id as it arrives in a path or query string: text. */
export const IdText = z.coerce.number().int().positive().max(MAX_INT4);

/** Path parameter ids arrive as text. */
export const idParam = <K extends string>(key: K) =>
  z.object({ [key]: IdText } as Record<K, typeof IdText>);

/**
 * A money amount or percentage: a JSON number or a decimal string, at most 2 decimal places.
 * JSON number literals other than plain integers arrive as their source text (json-body.ts), so
 * `1e3` or `100.001` is refused exactly like the string "1e3" or "100.001".
 */
export const DecimalInput = z.union([z.number(), z.string().max(40)]).meta({
  description: "A number or decimal string with at most 2 decimal places (no exponent)",
  examples: ["100.00", 33.5],
});

/** The ONE rule for names, descriptions, labels, log-in emails and search terms (API and pages). */
export const SINGLE_LINE_MESSAGE = "must be a single line without control characters";

/**
 * Any one-line string, trimmed, at most `max` characters (may be empty: search terms, emails).
 * Not zod's `abort: true` on the line check: an aborting issue also skips the object's own checks,
 * which list the other fields' rule problems beside it (a NUL in the description and a 3-decimal
 * amount are both reported).
 */
export const SingleLine = (max: number) =>
  z
    .string()
    // Checked before trimming, so a trailing line feed or tab is refused too, not trimmed away.
    .refine(isSingleLine, { message: SINGLE_LINE_MESSAGE })
    // Only a clean line is trimmed: a tab-only name gets the one-line message, not also "empty".
    .overwrite((s) => (isSingleLine(s) ? s.trim() : s))
    .max(max, `must be at most ${max} characters`);

/** Text of several lines (an expense's notes): line breaks are fine, other control characters not. */
export const MULTI_LINE_MESSAGE = "must not contain control characters other than line breaks";

/**
 * Any text of several lines, at most `max` characters: CR LF and lone CRs become line feeds (a
 * browser's textarea sends CR LF) and the text is trimmed, once it has no other control character.
 */
export const MultiLine = (max: number) =>
  z
    .string()
    .refine(isMultiLine, { message: MULTI_LINE_MESSAGE })
    .overwrite((s) => (isMultiLine(s) ? toLineFeeds(s).trim() : s))
    .max(max, `must be at most ${max} characters`);

/** A required one-line text field: names, descriptions, token labels. */
export const Text = (max: number) => SingleLine(max).min(1, "must not be empty");

/** Opaque keyset cursor for paginated lists. */
export const CursorQuery = z.string().max(200).optional();
export const limitQuery = (def: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(def);

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

export const problemResponses = {
  400: Problem.describe("Malformed request or schema violation"),
  401: Problem.describe("Missing, invalid, expired or revoked credentials"),
  404: Problem.describe("Unknown resource, or one you may not see"),
  409: Problem.describe("Conflict with the current state"),
  410: Problem.describe("No longer usable, e.g. a used or expired one-time link"),
  412: Problem.describe("If-Match does not match: someone else changed it"),
  413: Problem.describe("Request body too large"),
  403: Problem.describe("You may see this resource but not change it"),
  422: Problem.describe("Business rule violated"),
  429: Problem.describe("Too many attempts; see Retry-After"),
  503: Problem.describe("Database unavailable"),
} as const;

export const Amount = z.number().meta({
  description:
    "Decimal amount in its currency's major units, with at most its minor digits (INR 33.34, JPY 1000, KWD 1.5 for 1.500)",
});

/** An ISO 4217 code in a response. */
export const CurrencyCode = z.string().meta({ description: "ISO 4217 code, e.g. INR" });

/** An amount in one currency: `{currency, amount}`. */
export const CurrencyAmountOut = z
  .object({ currency: CurrencyCode, amount: Amount })
  .meta({ id: "CurrencyAmount" });

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/**
 * The value inside a cursor this API handed out (`next_cursor`), or undefined without one. Anything
 * else, from garbage to well-formed base64 of the wrong shape, is refused with a 400 naming the
 * parameter: read as page 1 it would silently restart a client's iteration.
 */
export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    // Only a string is a cursor (the schemas refuse a repeated parameter, an array, anyway).
    if (typeof cursor === "string") value = JSON.parse(Buffer.from(cursor, "base64url").toString());
  } catch {
    // Not JSON: refused below.
  }
  const parsed = schema.safeParse(value);
  if (value !== undefined && parsed.success) return parsed.data;
  throw new InvalidInput("The cursor is not one this list handed out", [
    { field: "cursor", message: "must be a next_cursor value returned by this list" },
  ]);
}
