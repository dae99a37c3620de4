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
