import { z } from "zod";

/** An empty or blank variable counts as unset, so its default applies. */
export const blankToUndefined = (v: unknown) =>
  typeof v === "string" && v.trim() === "" ? undefined : v;

export const optionalString = z.preprocess(blankToUndefined, z.string().optional());

/** An integer setting with its default and range. */
export const int = (def: number, min: number, max: number) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().min(min).max(max).default(def));

/** An IANA time zone name Intl knows (`Asia/Kolkata`, `UTC`). */
export const timeZone = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "must be an IANA time zone such as Asia/Kolkata or UTC");
