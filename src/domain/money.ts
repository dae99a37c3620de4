/**
 * Money is an integer number of minor units (paise, 1 INR = 100 paise), always a safe integer.
 * Decimal input is parsed from its text, never through binary float arithmetic; output is built
 * as a string. The only float that ever appears is `toAmountNumber`, for JSON output.
 */
export type Paise = number;

/** 1 crore INR = 10,000,000.00 = 1e9 paise: the largest single expense or settlement. */
export const MAX_EXPENSE_PAISE = 1_000_000_000;

export type ParseResult = { ok: true; value: number } | { ok: false; message: string };

/** Optional minus, digits, optionally a point followed by digits. No `+`, spaces, `.5` or `5.`. */
const DECIMAL = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER); // "9007199254740991"

const NOT_A_DECIMAL = "must be a decimal number";

/**
 * Parses a JSON number or a decimal string with at most 2 decimal places into hundredths: paise
 * for money, basis points for percentages. The result is an exact safe integer; the sign is kept
 * (callers check it).
 *
 * A number is read through its shortest round-trip decimal text (`String(n)`), so `0.1` is the
 * text "0.1" (→ 10) even though the double is not exactly 1/10, and `1e21`/`1e-7` are refused
 * as exponent forms. The digits are then assembled as text and converted once, so no float
 * multiplication by 100 ever happens.
 */
export function parseDecimal2(input: string | number): ParseResult {
  return parseDecimalPlaces(input, 2);
}

/**
 * `parseDecimal2` for any number of places (0 to 6): the value × 10^places, exactly. With 0
 * places any fraction is refused, even `.0` (`100.0` is not a whole number of yen as entered).
 */
export function parseDecimalPlaces(input: string | number, places: number): ParseResult {
  if (!Number.isInteger(places) || places < 0 || places > 6) {
    throw new RangeError(`places must be 0 to 6, got ${places}`);
  }
  let text: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return { ok: false, message: NOT_A_DECIMAL };
    text = String(input);
  } else if (typeof input === "string") {
    text = input;
  } else {
    return { ok: false, message: NOT_A_DECIMAL };
  }
  const m = DECIMAL.exec(text);
  if (!m) return { ok: false, message: NOT_A_DECIMAL };
  const negative = m[1] === "-";
  const whole = m[2] ?? "";
  const frac = m[3];
  if (frac !== undefined && frac.length > places) {
    return {
      ok: false,
      message:
        places === 0
          ? "must be a whole number (no decimal places)"
          : `must have at most ${places} decimal places`,
    };
  }
  // value × 10^places as a digit string, without leading zeros ("0" stays "0").
  const digits = `${whole}${(frac ?? "").padEnd(places, "0")}`.replace(/^0+(?=[0-9])/, "");
  if (
    digits.length > MAX_SAFE_DIGITS.length ||
    (digits.length === MAX_SAFE_DIGITS.length && digits > MAX_SAFE_DIGITS)
  ) {
    return { ok: false, message: "is too large" };
  }
  const value = Number(digits); // ≤ 2^53 − 1 digits: converted exactly
  return { ok: true, value: negative && value !== 0 ? -value : value };
}

/** Exact floor division of safe integers (b > 0) without a float quotient: (a − (a mod b)) / b. */
export function divFloor(a: number, b: number): number {
  const r = ((a % b) + b) % b;
  return (a - r) / b;
}

/** 3334 → "33.34", -500 → "-5.00", 0 → "0.00", 1e9 → "10000000.00". No grouping. */
export function formatPaise(p: Paise): string {
  if (!Number.isSafeInteger(p)) throw new RangeError(`not a whole number of paise: ${p}`);
  const abs = Math.abs(p);
  const cents = abs % 100;
  const whole = (abs - cents) / 100;
  return `${p < 0 ? "-" : ""}${whole}.${cents < 10 ? "0" : ""}${cents}`;
}

/**
 * For JSON responses only: the 2-decimal text read back as a number (3334 → 33.34). The double
 * nearest to "33.34" serialises back to exactly "33.34", so clients see the decimal value.
 */
export function toAmountNumber(p: Paise): number {
  return Number(formatPaise(p));
}
