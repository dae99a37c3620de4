/**
 * Mobile numbers as people type them: "98765 43210", "+91 98765-00001", "(022) 2345 6789".
 * Stored as the digits with an optional leading + (the form stored since the start, so every
 * existing row stays valid); shown grouped on the pages. The API returns the stored form.
 */

export type PhoneResult = { ok: true; value: string } | { ok: false; message: string };

export const PHONE_MESSAGE =
  "must be 7 to 15 digits with an optional leading +; spaces, dashes, dots and brackets are allowed";

/** Far longer than any typed number (15 digits and their separators): a bound, not a rule. */
const MAX_TYPED = 64;

/**
 * An optional + first, then digits with spaces, dashes, dots and brackets between them; it may
 * open with "(" and close with ")" but not start or end with a dash or a dot. Nothing else:
 * no letters, no other symbols, no tabs or other control characters, no + further in.
 */
const TYPED = /^\+?[ (]*[0-9](?:[0-9 .()-]*[0-9])?[ )]*$/;

/** E.164 allows at most 15 digits; fewer than 7 is no one's phone number. */
const DIGITS = /^[0-9]{7,15}$/;

/** A typed number (or a JSON integer) to its stored form: "+" if it had one, then the digits. */
export function normalisePhone(input: string | number): PhoneResult {
  const refuse = { ok: false, message: PHONE_MESSAGE } as const;
  if (typeof input === "number") {
    // String(1e21) is "1e+21": refused below like its string form.
    if (!Number.isSafeInteger(input) || input < 0) return refuse;
    input = String(input);
  }
  if (typeof input !== "string" || input.length > MAX_TYPED) return refuse;
  const typed = input.replace(/^ +| +$/g, "");
  if (!TYPED.test(typed)) return refuse;
  const digits = typed.replace(/[^0-9]/g, "");
  if (!DIGITS.test(digits)) return refuse;
  return { ok: true, value: typed.startsWith("+") ? `+${digits}` : digits };
}

/**
 * How the pages show a stored number. Indian numbers, the common case here, are grouped the way
 * they are written in India; any other number is shown as stored, because its grouping depends on
 * its country's numbering plan:
 *   9876543210     -> 98765 43210       (10 digits: a mobile number)
 *   +919876543210  -> +91 98765 43210   (the same with the country code, with or without +)
 *   02223456789    -> 022 2345 6789     (0 and 10 digits: a landline with its trunk 0, 3-4-4)
 * The grouped form normalises back to the stored one, so a form filled with it saves unchanged.
 */
export function groupPhone(stored: string): string {
  const m = /^(\+?91)?([0-9]{5})([0-9]{5})$/.exec(stored);
  if (m) return `${m[1] ? `${m[1]} ` : ""}${m[2]} ${m[3]}`;
  const landline = /^(0[0-9]{2})([0-9]{4})([0-9]{4})$/.exec(stored);
  if (landline) return landline.slice(1).join(" ");
  return stored;
}
