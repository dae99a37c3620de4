import { errorCodes, type FastifyInstance } from "fastify";
import sjson from "secure-json-parse";
import { LONE_SURROGATE, loneSurrogatesIn } from "../domain/text.js";

/**
 * The JSON body parser of every route (replacing Fastify's own):
 * - number literals are read from their source text: a plain integer that a double holds exactly
 *   stays a number (ids, mobile numbers); any other literal (`250.5`, `1e3`,
 *   `100.0000000000000001`, a 20-digit integer) reaches the schemas as its exact text, so money is
 *   parsed from what was sent and an exponent or a third decimal is refused like its string form;
 * - nesting deeper than MAX_JSON_DEPTH is refused before anything recursive runs (parsing,
 *   Idempotency-Key fingerprints), so no body can overflow the stack;
 * - `__proto__` keys and `constructor.prototype` are refused (secure-json-parse, as in Fastify);
 * - an empty body is no body (many clients send `Content-Type: application/json` on every
 *   request, DELETE included); a route that needs a body refuses it in its schema;
 * - a string or key with a lone surrogate (an escape such as `\ud800` without its pair) is
 *   refused: it is not Unicode text, UTF-8 cannot hold it, and PostgreSQL's jsonb refuses it
 *   (a description with one failed in the outbox insert with a 500).
 * One linear pass finds those literals and quotes them, then secure-json-parse (the engine's
 * JSON.parse behind a prototype check) does the rest; no recursion of our own anywhere.
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

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const INTEGER_LITERAL = /^-?(?:0|[1-9][0-9]{0,15})$/;

/** A number literal: a number if it is an integer a double holds exactly, else its source text. */
function readNumber(literal: string): number | string {
  if (INTEGER_LITERAL.test(literal)) {
    const n = Number(literal);
    if (Number.isSafeInteger(n)) return n;
  }
  return literal;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** Characters a JSON number token is made of: digits, `-`, `+`, `.`, `e`, `E`. */
const inNumber = (c: number) =>
  isDigit(c) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;

/**
 * One pass over the text outside strings: refuses nesting deeper than MAX_JSON_DEPTH and turns
 * every number literal that must keep its text into a string token (`1e3` → `"1e3"`). Outside
 * strings a `-` or a digit can only start a number, so a token swaps for a token: valid JSON stays
 * valid and invalid JSON stays invalid (a run that is not a JSON number is left for JSON.parse).
 */
export function quoteNumberLiterals(text: string): string {
  let depth = 0;
  let inString = false;
  let out = "";
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // An escaped character (\" included) stays in the string.
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH)
        throw new MalformedJson(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted`);
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2d || isDigit(c)) {
      let end = i + 1;
      let plain = true; // digits only so far (after an optional minus)
      for (
        let d = text.charCodeAt(end);
        end < text.length && inNumber(d);
        d = text.charCodeAt(++end)
      )
        if (!isDigit(d)) plain = false;
      // Short plain integers (the common case: ids) need no closer look.
      if (!plain || end - i > 15) {
        const literal = text.slice(i, end);
        if (JSON_NUMBER.test(literal) && typeof readNumber(literal) === "string") {
          out += `${text.slice(copied, i)}"${literal}"`;
          copied = end;
        }
      }
      i = end - 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const strict = { protoAction: "error", constructorAction: "error" } as const;

/** Parses a request body as the API reads it (see above); throws MalformedJson. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return undefined;
  const quoted = quoteNumberLiterals(text);
  let value: unknown;
  try {
    value = sjson.parse(quoted, null, strict);
  } catch {
    // Report the error as the client's own text has it (quoting moved positions).
    try {
      sjson.parse(text, null, strict);
    } catch (err) {
      throw new MalformedJson(`Body is not valid JSON: ${(err as Error).message}`);
    }
    throw new MalformedJson("Body is not valid JSON");
  }
  // Text decoded from UTF-8 has none, so only a `\u` escape can make one: walk the value then.
  if (LONE_SURROGATE.test(text) || (text.includes("\\u") && loneSurrogatesIn(value, 1).length > 0))
    throw new MalformedJson(
      "Body is not valid JSON text: a string has a lone surrogate (a \\uD800–\\uDFFF escape without its pair)",
    );
  return value;
}

function addJsonParser(app: FastifyInstance): void {
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  addJsonParser(app);
}

/**
 * The JSON API's scope reads JSON bodies only: a body of any other content type (or none named)
 * is a 415 `unsupported-media-type`. Fastify's default `text/plain` parser used to hand the route
 * a string, which its schema refused as a misleading 400 "does not match the schema". An empty
 * body is no body whatever its type (as for JSON above): a bodiless DELETE stays a DELETE.
 * Encapsulated: the pages keep their urlencoded forms, the unsubscribe link its lenient body.
 */
export function acceptJsonBodiesOnly(api: FastifyInstance): void {
  api.removeAllContentTypeParsers();
  addJsonParser(api);
  refuseOtherBodies(api);
}

/**
 * A body of a type none of `scope`'s parsers reads is a 415 `unsupported-media-type`; an empty
 * one is no body, whatever its type. Added after the scope's own parsers (the pages' forms too).
 */
export function refuseOtherBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => {
    if ((body as Buffer).length === 0) done(null, undefined);
    else done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined);
  });
}
