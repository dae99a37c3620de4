import { LONE_SURROGATE, loneSurrogatesIn } from "../text.js";
import { MalformedFile } from "./model.js";

/** A JSON path as the import's problems name fields: `expenses[2].paidFor[0].participant`. */
export function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    "",
  );
}

const LONE = "a lone surrogate (a \\uD800–\\uDFFF escape without its pair), which is not text";

/**
 * Parses an imported JSON file (Spliit, Evenly JSON); 422 MalformedFile when it is not JSON, or
 * when a string or key has a lone surrogate, each one named (`expenses[2].title`). PostgreSQL
 * would store such a string as U+FFFD: the file is refused as the API refuses a request body
 * with one (400 malformed-request, src/http/json-body.ts), before anything is read or written.
 */
export function parseJsonFile(text: string, format: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MalformedFile(format, [
      { field: "file", message: `is not JSON: ${(e as Error).message}` },
    ]);
  }
  // Text decoded from UTF-8 has none, so only a `\u` escape can make one: walk the value then.
  if (LONE_SURROGATE.test(text) || text.includes("\\u")) {
    const found = loneSurrogatesIn(raw);
    if (found.length > 0)
      throw new MalformedFile(
        format,
        found.map(({ path, key }) => ({
          field: pathOf(path) || "file",
          message: key ? `has a key with ${LONE}` : `has ${LONE}`,
        })),
      );
  }
  return raw;
}
