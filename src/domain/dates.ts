// Building an Intl.DateTimeFormat costs far more than formatting with one: one per time zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Today's calendar date (YYYY-MM-DD) in the given IANA time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let format = formatters.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format.format(now);
}

/**
 * The dates an expense may carry. Wide enough for any real expense, and it keeps nonsense
 * (year 0, which PostgreSQL refuses; year 9999) out of the ledger. ISO dates compare as text.
 */
export const EARLIEST_DATE = "1900-01-01";
export const LATEST_DATE = "2200-12-31";
export const DATE_RANGE_MESSAGE = `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`;
export const isDateInRange = (isoDate: string) =>
  isoDate >= EARLIEST_DATE && isoDate <= LATEST_DATE;
