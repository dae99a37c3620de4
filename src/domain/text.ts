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
