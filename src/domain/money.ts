/**
 * Money is integer minor units (paise). Decimal input is parsed from its text, never through
 * float arithmetic; output is built as a string.
 */
export type Paise = number;

/** 1 crore INR = 10,000,000.00 = 1e9 paise: the largest expense. */
export const MAX_EXPENSE_PAISE = 1_000_000_000;

export type ParseResult = { ok: true; value: number } | { ok: false; message: string };

const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,}))?$/;

/**
 * Parses a JSON number or decimal string with at most 2 decimal places into hundredths
 * (paise for money, basis points for percentages). Numbers are read through their shortest
 * decimal text (`String(n)`), so 0.1 is "0.1", and 1e21 is refused as an exponent form.
 */
export function parseDecimal2(input: string | number): ParseResult {
  if (typeof input === "number" && !Number.isFinite(input)) {
    return { ok: false, message: "must be a decimal number" };
  }
  const text = typeof input === "number" ? String(input) : input;
  const m = DECIMAL.exec(text);
  if (!m) return { ok: false, message: "must be a decimal number" };
  const [, sign, whole = "", frac = ""] = m;
  if (frac.length > 2) return { ok: false, message: "must have at most 2 decimal places" };
  const digits = `${whole}${frac.padEnd(2, "0")}`.replace(/^0+(?=\d)/, "");
  if (digits.length > 15) return { ok: false, message: "is too large" };
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return { ok: false, message: "is too large" };
  return { ok: true, value: sign && value !== 0 ? -value : value };
}

/** 3334 → "33.34", -500 → "-5.00". */
export function formatPaise(p: Paise): string {
  if (!Number.isSafeInteger(p)) throw new RangeError(`not an integer amount: ${p}`);
  const abs = Math.abs(p);
  const whole = (abs - (abs % 100)) / 100;
  const cents = String(abs % 100).padStart(2, "0");
  return `${p < 0 ? "-" : ""}${whole}.${cents}`;
}

/** For JSON responses only: the 2-decimal text read back as a number (33.34). */
export function toAmountNumber(p: Paise): number {
  return Number(formatPaise(p));
}

/** Exact floor division of safe integers (b > 0), without a float quotient. */
export function divFloor(a: number, b: number): number {
  const r = ((a % b) + b) % b;
  return (a - r) / b;
}
