/**
 * The cap on the rows of one imported file (IMPORT_MAX_ROWS, passed in by the service). Reading a
 * file is synchronous: a 10 MiB file of short rows would hold ~400,000 expenses and block the
 * process for minutes. So the rows are counted before any is read (Splitwise: its lines, then
 * its records; JSON: the arrays' lengths after JSON.parse) and a file over the cap is refused.
 */
import { MalformedFile } from "./model.js";

export interface RowLimit {
  /** Most expense and settlement rows one file may have; no cap when absent. */
  maxRows?: number | undefined;
}

/** The 422 for a file with more rows than `max`; `has` says how many ("12 expenses", "more than …"). */
export function tooManyRows(format: string, has: string, max: number): MalformedFile {
  return new MalformedFile(
    format,
    [
      {
        field: "file",
        message: `has ${has}; one import takes at most ${max} expenses and settlements`,
      },
    ],
    `The ${format} file has too many rows to import`,
  );
}

/**
 * How many lines `text` has (LF, CRLF or CR endings), counting no further than `cap + 1`:
 * indexOf over the text, no parsing, so a file far over the cap costs milliseconds.
 */
export function linesUpTo(text: string, cap: number): number {
  const count = (end: string) => {
    let n = 0;
    for (let i = text.indexOf(end); i !== -1 && n <= cap; i = text.indexOf(end, i + 1)) n++;
    return n;
  };
  // A last line without its line break is a line too.
  const open = text !== "" && !/[\r\n]$/.test(text) ? 1 : 0;
  return Math.min(cap + 1, Math.max(count("\n"), count("\r")) + open);
}

/** The length of `raw[key]` when it is an array (the schema says what else is wrong), else 0. */
export function arrayLength(raw: unknown, key: string): number {
  if (typeof raw !== "object" || raw === null) return 0;
  const value = (raw as Record<string, unknown>)[key];
  return Array.isArray(value) ? value.length : 0;
}
