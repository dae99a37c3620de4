/**
 * One line of text: no C0 or C1 control characters (NUL, tab, line feed, CR, U+0085 included),
 * no DEL, no Unicode line or paragraph separator. PostgreSQL cannot store NUL, and a line break in
 * a name or description would end up in mail subjects and one-line displays.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const NOT_ONE_LINE_RUNS = new RegExp(`${NOT_ONE_LINE.source}+`, "g");

export const isSingleLine = (s: string): boolean => !NOT_ONE_LINE.test(s);

/**
 * Text stored before the rule (or from anywhere else) made fit for one line: every run of
 * control or separator characters becomes one space, and at most `max` characters are kept
 * (whole code points, with an ellipsis when cut).
 */
export function toOneLine(s: string, max = Number.POSITIVE_INFINITY): string {
  const clean = s.replace(NOT_ONE_LINE_RUNS, " ").replace(/\s+/g, " ").trim();
  const chars = [...clean];
  return chars.length > max
    ? `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`
    : clean;
}

/**
 * Text of several lines (an expense's notes): line feeds are fine, CR LF and lone CRs count as
 * line feeds (a browser's textarea sends CR LF); every other control character (NUL, tab, DEL,
 * U+0085 …) and the Unicode line and paragraph separators are not.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NOT_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const NOT_LINES_RUNS = new RegExp(`${NOT_LINES.source}+`, "g");

/** CR LF and lone CRs as line feeds. */
export const toLineFeeds = (s: string): string => s.replace(/\r\n?/g, "\n");

export const isMultiLine = (s: string): boolean => !NOT_LINES.test(toLineFeeds(s));

/**
 * Text from elsewhere (an imported file's notes) made fit: line feeds kept, every run of other
 * control characters one space, trimmed, at most `max` characters (with an ellipsis when cut).
 */
export function toMultiLine(s: string, max = Number.POSITIVE_INFINITY): string {
  const clean = toLineFeeds(s).replace(NOT_LINES_RUNS, " ").trim();
  const chars = [...clean];
  return chars.length > max
    ? `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`
    : clean;
}

/**
 * Half of a UTF-16 surrogate pair on its own (with the `u` flag a whole pair is one character):
 * what a JSON escape such as `\ud800` without its pair gives. It is not Unicode text: UTF-8
 * cannot hold it, and PostgreSQL stores it as U+FFFD in text and refuses it in jsonb.
 */
export const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** A string (or an object's key, `key: true`) of a parsed JSON value with a lone surrogate. */
export interface LoneSurrogateAt {
  /** Where: object keys and array indexes from the root (the key's object, for a key). */
  path: (string | number)[];
  key: boolean;
}

/** A value met by loneSurrogatesIn's walk, linked to its parent (paths only built when needed). */
interface Visit {
  v: unknown;
  k: string | number | null;
  parent: Visit | null;
}

const pathTo = (at: Visit): (string | number)[] => {
  const path: (string | number)[] = [];
  for (let n: Visit | null = at; n !== null && n.k !== null; n = n.parent) path.unshift(n.k);
  return path;
};

/**
 * Where a parsed JSON value has strings or keys with a lone surrogate, in document order, at
 * most `max` of them; a loop, not recursion, so no value can overflow the stack.
 */
export function loneSurrogatesIn(
  value: unknown,
  max = Number.POSITIVE_INFINITY,
): LoneSurrogateAt[] {
  const found: LoneSurrogateAt[] = [];
  const stack: Visit[] = [{ v: value, k: null, parent: null }];
  while (stack.length > 0 && found.length < max) {
    const at = stack.pop() as Visit;
    const v = at.v;
    if (typeof v === "string") {
      if (LONE_SURROGATE.test(v)) found.push({ path: pathTo(at), key: false });
    } else if (typeof v === "object" && v !== null) {
      const entries: [string | number, unknown][] = Array.isArray(v)
        ? v.map((item, i) => [i, item])
        : Object.entries(v);
      if (!Array.isArray(v) && entries.some(([k]) => LONE_SURROGATE.test(k as string)))
        found.push({ path: pathTo(at), key: true });
      // Pushed in reverse, so they come off in document order.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, item] = entries[i] as [string | number, unknown];
        stack.push({ v: item, k, parent: at });
      }
    }
  }
  return found;
}
