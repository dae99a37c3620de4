import type { FastifyInstance } from "fastify";
import { parse } from "lossless-json";

/**
 * The JSON body parser of every route (replacing Fastify's JSON.parse-based one):
 * - number literals are read from their source text: a plain integer that a double holds exactly
 *   stays a number (ids, mobile numbers); any other literal (`250.5`, `1e3`,
 *   `100.0000000000000001`, a 20-digit integer) reaches the schemas as its exact text, so money is
 *   parsed from what was sent and an exponent or a third decimal is refused like its string form;
 * - nesting deeper than MAX_JSON_DEPTH is refused before anything recursive runs (parsing,
 *   Idempotency-Key fingerprints), so no body can overflow the stack;
 * - `__proto__` keys and `constructor.prototype` are refused, like Fastify's default;
 * - an empty body is no body (many clients send `Content-Type: application/json` on every
 *   request, DELETE included); a route that needs a body refuses `undefined` in its schema.
 */

/** Far deeper than any body the API takes (expenses nest 2 levels). */
export const MAX_JSON_DEPTH = 64;

/** A body that is not acceptable JSON: 400 `malformed-request` (see the error handler). */
export class MalformedJson extends Error {
  readonly statusCode = 400;
  readonly code = "EVL_MALFORMED_JSON";
  constructor(message: string) {
    super(message);
    this.name = "MalformedJson";
  }
}

/** Whether `[`/`{` nesting outside strings goes deeper than `max`: one pass, no recursion. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character (\" stays in the string)
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const INTEGER_LITERAL = /^-?(?:0|[1-9][0-9]{0,15})$/;

/** A number literal: a number if it is an integer a double holds exactly, else its source text. */
export function readNumber(literal: string): number | string {
  if (INTEGER_LITERAL.test(literal)) {
    const n = Number(literal);
    if (Number.isSafeInteger(n)) return n;
  }
  return literal;
}

function refusePoisoning(key: string, value: unknown): unknown {
  if (key === "__proto__") throw new MalformedJson("Object keys named __proto__ are not accepted");
  if (
    key === "constructor" &&
    value &&
    typeof value === "object" &&
    Object.hasOwn(value, "prototype")
  )
    throw new MalformedJson("constructor.prototype is not accepted");
  return value;
}

/** Parses a request body as the API reads it (see above); throws MalformedJson. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return undefined;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH))
    throw new MalformedJson(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted`);
  try {
    return parse(text, refusePoisoning, readNumber);
  } catch (err) {
    if (err instanceof MalformedJson) throw err;
    throw new MalformedJson(`Body is not valid JSON: ${(err as Error).message}`);
  }
}

export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
