import { COMMON_PASSWORDS } from "./common-passwords.js";
import type { FieldIssue } from "./errors.js";

export const PASSWORD_MIN_LENGTH = 10;
/** argon2 hashes any length, but an unbounded input is a cheap way to burn server CPU. */
export const PASSWORD_MAX_LENGTH = 256;

const common = new Set(COMMON_PASSWORDS);

/** Problems with a new password (empty when acceptable), in the spirit of NIST SP 800-63B. */
export function passwordIssues(
  password: string,
  context: { email?: string; name?: string } = {},
  field = "password",
): FieldIssue[] {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return [{ field, message: `must be at least ${PASSWORD_MIN_LENGTH} characters` }];
  if (length > PASSWORD_MAX_LENGTH)
    return [{ field, message: `must be at most ${PASSWORD_MAX_LENGTH} characters` }];
  const lower = password.toLowerCase();
  if (common.has(lower) || /^(.)\1*$/u.test(lower))
    return [{ field, message: "is too common; choose a less guessable password" }];
  const personal = [context.email?.toLowerCase(), context.email?.split("@")[0]?.toLowerCase()];
  if (context.name) personal.push(context.name.toLowerCase().replace(/\s+/g, ""));
  if (personal.some((p) => p && p.length >= 4 && lower.replace(/\s+/g, "").includes(p)))
    return [{ field, message: "must not contain your name or email" }];
  return [];
}
