import { toMultiLine } from "../domain/text.js";
import { escapeHtml } from "../lib/html.js";

// Someone's notes (an expense's, a payment's) in a mail body: every line kept and shown whole
// (they are at most 1000 characters), escaped in the HTML part. Never for a subject or header.

/** The note's lines; none for no note. Control characters other than line feeds become spaces. */
export const noteLines = (note: string | null | undefined): string[] =>
  note ? toMultiLine(note).split("\n") : [];

/** For the text part: each line indented (blank lines stay empty). */
export const indentLines = (lines: string[], indent: string): string[] =>
  lines.map((line) => (line === "" ? "" : `${indent}${line}`));

/** For the HTML part: escaped, lines joined with <br> (mail clients ignore much CSS). */
export const linesHtml = (lines: string[]): string => lines.map(escapeHtml).join("<br>");
