import type { z } from "zod";
import type { FieldIssue } from "../../domain/errors.js";
import { MAX_INT4 } from "../schemas/common.js";
import type { FieldErrors } from "./views.js";

/** A urlencoded body as @fastify/formbody gives it: repeated keys become arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

export const formOf = (body: unknown): FormBody =>
  body && typeof body === "object" ? (body as FormBody) : {};

export function one(form: FormBody, key: string): string {
  const v = form[key];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

export function many(form: FormBody, key: string): string[] {
  const v = form[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/**
 * "12" → 12; anything else (blank, "abc", "1.5", "-3", beyond a database integer) → NaN, which
 * the API schema refuses and the pages treat as no id.
 */
export function idOf(text: string): number {
  const id = /^[0-9]{1,10}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  return id <= MAX_INT4 ? id : Number.NaN;
}

/** zod issues of the API's body schema as the API would name them (`split_values[2]`). */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({
    field: i.path.reduce<string>(
      (acc, p) =>
        typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p),
      "",
    ),
    message: i.message,
  }));
}

/** The issues of one form field checked on its own, named as the form names the field. */
export const fieldIssues = (error: z.ZodError, field: string): FieldIssue[] =>
  zodIssues(error).map((i) => ({ ...i, field }));

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Places API-named issues next to form fields. `keyOf` maps an API field to a form field name
 * (or null: the message only appears in the summary); `labelOf` names the field in the summary.
 */
export function placeIssues(
  issues: FieldIssue[],
  keyOf: (field: string) => string | null,
  labelOf: (key: string) => string,
): { errors: FieldErrors; summary: { field: string | null; message: string }[] } {
  const errors: FieldErrors = {};
  const summary: { field: string | null; message: string }[] = [];
  for (const issue of issues) {
    const key = keyOf(issue.field);
    const message = capitalise(issue.message);
    if (key) {
      errors[key] = errors[key] ? `${errors[key]} ${message}.` : `${message}.`;
      summary.push({ field: key, message: `${labelOf(key)}: ${issue.message}.` });
    } else {
      summary.push({ field: null, message: `${message}.` });
    }
  }
  return { errors, summary };
}
