/** Splitwise CSV text as records (csv-parse), with the line each starts on, for splitwise-read.ts. */
import { parse } from "csv-parse/sync";
import { MalformedFile } from "./model.js";
import { unescapeCell } from "./splitwise-write.js";

export interface Parsed {
  line: number;
  cells: string[];
}

/**
 * Past this many blank lines or lines with another number of cells than the first, the file is
 * refused unread: the parser builds an error object for each, slowly, and no export has so many.
 */
const MAX_RAGGED_LINES = 1000;

/**
 * The file's records, each with the line it starts on and its cells unescaped (`unescapeCell`).
 * Throws MalformedFile (`format` names the file's kind) for text that is not CSV.
 */
export function csvRecords(text: string, format: string): Parsed[] {
  let out: { record: string[]; info: { lines: number } }[];
  let ragged = 0;
  try {
    // With `info`, each record comes with where it ended (its `lines`).
    out = parse(text, {
      bom: true,
      relax_column_count: true,
      info: true,
      skip_empty_lines: false,
      on_record: (record, context) => {
        if (context.error && ++ragged > MAX_RAGGED_LINES)
          throw new MalformedFile(format, [
            {
              field: `line ${context.lines}`,
              message: `is one of more than ${MAX_RAGGED_LINES} lines that are blank or have another number of cells than the header: the file is not an export`,
            },
          ]);
        return record;
      },
    }) as unknown as typeof out;
  } catch (e) {
    if (e instanceof MalformedFile) throw e;
    throw new MalformedFile(format, [
      { field: "file", message: `is not valid CSV: ${(e as Error).message}` },
    ]);
  }
  let next = 1;
  return out.map(({ record, info }) => {
    const line = next;
    next = info.lines + 1;
    return { line, cells: record.map(unescapeCell) };
  });
}
