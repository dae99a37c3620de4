import { formatMoney } from "../../domain/currency.js";
import { formatPaise, type Paise } from "../../domain/money.js";

// Intl gives Indian digit grouping (lakh, crore): 10000000 paise → "₹1,00,000.00".
const inr = new Intl.NumberFormat("en-IN", {
  style: "currency",
  currency: "INR",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/**
 * Paise → "₹1,00,000.00". The number handed to Intl is the exact 2-decimal text read back
 * (as in the JSON API), so no arithmetic happens on floats.
 */
export function formatInr(paise: Paise): string {
  return inr.format(Number(formatPaise(paise)));
}

/**
 * Minor units of `currency` for the pages: ₹1,00,000.00 (en-IN grouping for INR), $1,000.00,
 * ¥1,000, KWD 1.500 — every amount on a page is shown in its own currency.
 */
export function formatAmount(minor: number, currency: string): string {
  return formatMoney(minor, currency);
}

const calendarDate = new Intl.DateTimeFormat("en-IN", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** "2026-11-20" → "20 Nov 2026" without time-zone shifts (the date is a calendar date). */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  return calendarDate.format(date);
}

// One formatter per time zone: building one costs far more than using it.
const timestampFormats = new Map<string, Intl.DateTimeFormat>();

/** A timestamp in the app's time zone, e.g. "20 Nov 2026, 6:05 pm". */
export function formatTimestamp(at: Date, timeZone: string): string {
  let format = timestampFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-IN", {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone,
    });
    timestampFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** "2026-11" → "November 2026" (or "Nov 2026" when short). */
export function formatMonth(month: string, style: "long" | "short" = "long"): string {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 1)).toLocaleDateString("en-IN", {
    month: style,
    year: "numeric",
    timeZone: "UTC",
  });
}
